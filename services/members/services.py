"""Every write about members goes through these functions.

Registration creates the login, the member record and the consent record in one
transaction. Joining the union is a small workflow (``workflow.py``) on the shared engine: a
request is submitted, then approved or rejected by staff of its street; approval issues the
membership number.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from services.applications.engine import (
    application_transition,
    notify,
    record_start,
    steps_for,
)
from services.decisions import Decision
from services.members import codes
from services.members.audit import audit_record
from services.members.models import (
    AuditEvent,
    ClosureRequest,
    ClosureStatus,
    ConsentRecord,
    EmploymentForm,
    Enterprise,
    GrassrootsUnion,
    JoinRequest,
    JoinStatus,
    Member,
    SmsCode,
    Street,
    User,
)
from services.members.pii import blind_index, mask_id_number
from services.members.sms import send_sms
from services.members.validators import (
    birth_date_of,
    sex_of,
    validate_bank_card,
    validate_id_number,
)

CONSENT_PURPOSE = "处理身份证号等敏感个人信息，用于会员身份核验和申请服务"


class AlreadyRegistered(ValidationError):
    pass


def id_number_taken(id_number: str) -> bool:
    return Member.objects.filter(id_number_index=blind_index(id_number)).exists()


def consent_grant(*, user, recorded_by=None) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user,
        notice_version=settings.PORTAL_PRIVACY_NOTICE_VERSION,
        purpose=CONSENT_PURPOSE,
        recorded_by=recorded_by,
    )


def consent_withdraw(*, user) -> int:
    """Withdraw every standing consent; the worker is asked again before using the services."""
    return ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def member_register(
    *,
    mobile: str,
    password: str,
    real_name: str,
    id_number: str,
    employer: Enterprise | None,
    employer_name: str = "",
    employment_form: str = EmploymentForm.CONTRACT,
    consent: bool,
    registered_by=None,
    street: Street | None = None,
) -> Member:
    """Create a worker's login, member record and consent together, or nothing at all."""
    if not consent:
        raise ValidationError(_("必须单独同意个人信息处理告知书才能注册。"), code="consent")
    id_number = validate_id_number(id_number)
    listed = _listed_by_employer(id_number=id_number, mobile=mobile)
    if listed is not None:
        return _take_over(member=listed, password=password)
    if Member.objects.filter(mobile=mobile).exists():
        raise AlreadyRegistered(
            _("该手机号已经注册，请直接登录；忘记密码可用短信验证码重设。"), code="mobile_taken"
        )
    if id_number_taken(id_number):
        raise AlreadyRegistered(
            _(
                "该身份证号已经注册。一个身份证号只能注册一个账号；如果不是您本人注册的，请带身份证到街道工会处理。"
            ),
            code="id_taken",
        )
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=mobile, password=password)
            member = Member.objects.create(
                user=user,
                real_name=real_name.strip(),
                id_number=id_number,
                id_number_index=blind_index(id_number),
                id_number_masked=mask_id_number(id_number),
                birth_date=birth_date_of(id_number),
                sex=sex_of(id_number),
                mobile=mobile,
                employer=employer,
                employer_name="" if employer else employer_name.strip(),
                street=employer.street if employer else street,
                employment_form=employment_form,
                registered_by=registered_by,
            )
            consent_grant(user=user, recorded_by=registered_by)
    except IntegrityError as error:
        # Two registrations raced past the form's checks; the database kept one.
        raise AlreadyRegistered(
            _("该手机号或身份证号已经注册，请直接登录。"), code="taken"
        ) from error
    return member


def _listed_by_employer(*, id_number: str, mobile: str) -> Member | None:
    """A worker an employer's roster put on the portal (mutual aid) has a record but no
    password; registering with the same ID number and the roster's mobile (proved by the
    texted code) takes the record over."""
    member = (
        Member.objects.select_related("user")
        .filter(id_number_index=blind_index(id_number), mobile=mobile, closed_at__isnull=True)
        .first()
    )
    if member is None or member.user.has_usable_password() or member.registered_by_id is None:
        return None
    return member


def _take_over(*, member: Member, password: str) -> Member:
    with transaction.atomic():
        user = member.user
        user.set_password(password)
        user.save(update_fields=["password"])
        consent_grant(user=user)
    return member


def member_set_language(*, user: User, language: str) -> None:
    """The language messages to this user are sent in: the one they last used the portal in."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def member_change_mobile(
    *, member: Member, actor: User, password: str, new_mobile: str, code: str
) -> Decision:
    """A new mobile number (which is also the login name) needs the password again and the
    code texted to the new number, which proves it is the worker's."""
    if actor.pk != member.user_id:
        return Decision.deny(_("只有职工本人可以更换手机号。"), code="not_owner")
    if not member.user.check_password(password):
        return Decision.deny(_("密码不正确。"), code="password")
    checked = codes.sms_code_check(
        mobile=new_mobile, purpose=codes.Purpose.MOBILE_CHANGE, code=code
    )
    if not checked:
        return checked
    if Member.objects.filter(mobile=new_mobile).exclude(pk=member.pk).exists():
        return Decision.deny(_("该手机号已被其他账号使用。"), code="mobile_taken")
    with transaction.atomic():
        member.mobile = new_mobile
        member.save(update_fields=["mobile"])
        member.user.username = new_mobile
        member.user.save(update_fields=["username"])
    return Decision.allow()


def member_reveal_id_number(*, actor: User, member: Member, ip_address: str | None) -> str:
    """The full ID number for staff with the permission; every reveal is logged."""
    if not actor.has_perm("members.reveal_member_pii"):
        raise PermissionDenied(_("您没有查看完整身份证号的权限。"))
    audit_record(
        actor=actor, member=member, action=AuditEvent.Action.ID_NUMBER, obj=member,
        ip_address=ip_address,
    )  # fmt: skip
    return member.id_number


def member_set_bank_card(*, member: Member, card: str, actor: User) -> Member:
    """The first payee card of a worker who has none (checked by Luhn, stored encrypted).
    A card on file is changed only by ``member_change_bank_card``, with the password."""
    if actor.pk != member.user_id:
        raise PermissionDenied(_("只有职工本人可以登记收款银行卡。"))
    if member.bank_card:
        raise ValidationError(
            _("已登记收款银行卡；更换请在“我的”页面输入密码后更换。"), code="card_on_file"
        )
    _store_card(member, validate_bank_card(card))
    return member


def member_change_bank_card(*, member: Member, actor: User, password: str, card: str) -> Decision:
    """A new payee card needs the password again, and the worker's phone is told: money
    already decided goes to the card on file when it is paid, so whoever changes the card
    must be the worker. Finance sees which payments were decided before the change."""
    if actor.pk != member.user_id:
        return Decision.deny(_("只有职工本人可以更换收款银行卡。"), code="not_owner")
    if not member.user.check_password(password):
        return Decision.deny(_("密码不正确。"), code="password")
    try:
        number = validate_bank_card(card)
    except ValidationError as error:
        return Decision.deny(error.messages[0], code=error.code or "card")
    with transaction.atomic():
        _store_card(member, number)
        member.bank_card_changed_at = timezone.now()
        member.save(update_fields=["bank_card_changed_at"])
        notify(
            user_id=member.user_id,
            message=gettext_noop(
                "您的收款银行卡已更换为尾号 %(last4)s 的卡。如非本人操作，请立即联系街道工会。"
            ),
            params={"last4": number[-4:]},
            link=reverse("members:bank_card"),
        )
    return Decision.allow()


def _store_card(member: Member, number: str) -> None:
    member.bank_card = number
    member.bank_card_index = blind_index(f"card:{number}")
    member.bank_card_last4 = number[-4:]
    member.save(update_fields=["bank_card", "bank_card_index", "bank_card_last4"])


# -- passwords and lockouts ---------------------------------------------------------------------


def login_failures(mobile: str) -> int:
    """Failed password logins for one number in the last hour, from every address."""
    from axes.models import AccessAttempt

    since = timezone.now() - timedelta(hours=1)
    total = AccessAttempt.objects.filter(username=mobile, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def login_needs_code(mobile: str) -> bool:
    """After many failures from anywhere, the password alone no longer logs in: the owner adds
    a texted code (or logs in with the code alone). Nobody is locked out of their own account
    by someone else's guessing."""
    return login_failures(mobile) >= settings.PORTAL_LOGIN_ACCOUNT_LIMIT


def lockouts_clear(mobile: str) -> None:
    from axes.utils import reset

    reset(username=mobile)


def password_reset_with_code(*, mobile: str, code: str, new_password: str) -> Decision:
    """A new password for the owner of the number, proved by the texted code. It clears the
    lockouts of the number; the sessions signed in with the old password end."""
    checked = codes.sms_code_check(mobile=mobile, purpose=codes.Purpose.PASSWORD_RESET, code=code)
    if not checked:
        return checked
    member = Member.objects.select_related("user").filter(mobile=mobile).first()
    if member is None:
        return Decision.deny(_("验证码不正确或已过期，请重新获取。"), code="bad_code")
    member.user.set_password(new_password)
    member.user.save(update_fields=["password"])
    lockouts_clear(mobile)
    return Decision.allow()


# -- joining the union ---------------------------------------------------------------------------


def join_request_can_submit(*, member: Member) -> Decision:
    if member.is_member:
        return Decision.deny(
            _("您已经是工会会员，会员号 %(number)s。") % {"number": member.membership_number},
            code="already_member",
        )
    if member.join_requests.filter(status=JoinStatus.SUBMITTED).exists():
        return Decision.deny(_("您已有一份待审核的入会申请。"), code="pending")
    return Decision.allow()


def join_request_submit(
    *,
    member: Member,
    actor: User,
    street: Street,
    grassroots_union: GrassrootsUnion | None,
    employment_form: str,
    employer_text: str,
) -> JoinRequest:
    """The worker's request; their record changes only if it is approved."""
    decision = join_request_can_submit(member=member)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                member=member,
                street=street,
                grassroots_union=grassroots_union,
                employment_form=employment_form,
                employer_text=employer_text.strip(),
            )
            record_start(application=join_request, actor=actor)
    except IntegrityError as error:
        raise ValidationError(_("您已有一份待审核的入会申请。"), code="pending") from error
    return join_request


def join_request_can_decide(*, actor: User, join_request: JoinRequest) -> Decision:
    steps = [row.name for row, _role in steps_for(actor, join_request)]
    if "approve" in steps or "reject" in steps:
        return Decision.allow()
    if join_request.status != JoinStatus.SUBMITTED:
        return Decision.deny(_("这份申请已经处理过了。"), code="decided")
    if join_request.member.user_id == actor.pk:
        return Decision.deny(_("不能审核自己的申请。"), code="self_review")
    return Decision.deny(_("您没有审核这份入会申请的权限。"), code="no_role")


def join_request_decide(
    *,
    join_request: JoinRequest,
    actor: User,
    approve: bool,
    note: str = "",
    grassroots_union: GrassrootsUnion | None = None,
) -> Decision:
    """Approve (issuing the membership number) or reject (with a reason) a join request."""
    return application_transition(
        application=join_request,
        actor=actor,
        step="approve" if approve else "reject",
        note=note,
        data={"grassroots_union": grassroots_union},
    )


def join_request_withdraw(*, join_request: JoinRequest, actor: User) -> Decision:
    return application_transition(application=join_request, actor=actor, step="withdraw")


# -- closing the account ---------------------------------------------------------------------


def closure_can_request(*, member: Member) -> Decision:
    if member.closure_requests.filter(status=ClosureStatus.REQUESTED).exists():
        return Decision.deny(_("您已经申请注销，正在办理中。"), code="pending")
    return Decision.allow()


def closure_request_submit(*, member: Member, actor: User, reason: str = "") -> ClosureRequest:
    decision = closure_can_request(member=member)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    try:
        with transaction.atomic():
            request = ClosureRequest.objects.create(
                member=member, street=member.street, reason=reason.strip()[:300]
            )
            record_start(application=request, actor=actor)
    except IntegrityError as error:
        raise ValidationError(_("您已经申请注销，正在办理中。"), code="pending") from error
    return request


def member_anonymise(*, member: Member, actor: User) -> None:
    """Delete or anonymise a worker's personal information, keeping what the law requires:
    if money was ever paid to them, their name and ID number stay (encrypted) with the
    payment records; otherwise those go too. Their login ends at once."""
    from services.applications.models import Application, LedgerEntry, Notification
    from services.members.certificates import certificate_delete_files

    paid_before = LedgerEntry.objects.filter(member=member).exists()
    mobile = member.mobile
    transaction.on_commit(
        lambda: send_sms(mobile, _("【钱塘区总工会】您的账号已注销，个人信息已按告知书删除。"))
    )
    for application in Application.objects.filter(applicant=member).exclude(
        pk__in=LedgerEntry.objects.filter(member=member).values("source_id")
    ):
        for attachment in application.attachments.all():
            attachment.file.delete(save=False)
        application.delete()
    certificate_delete_files(member)
    Notification.objects.filter(user=member.user).delete()
    SmsCode.objects.filter(mobile=mobile).delete()
    ConsentRecord.objects.filter(user=member.user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    member.mobile = f"x{member.pk:010d}"
    member.bank_card = member.bank_card_index = member.bank_card_last4 = ""
    member.bank_card_changed_at = None
    member.employer, member.employer_name = None, ""
    member.closed_at = timezone.now()
    if not paid_before:
        forget_identity(member)
    member.save()
    # What the worker wrote when asking to close is theirs too.
    ClosureRequest.objects.filter(member=member).update(reason="")
    user = member.user
    user.is_active = False
    user.set_unusable_password()
    user.username = f"closed-{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.save()


def forget_identity(member: Member) -> None:
    """A closed account's name, ID number, birth date, sex and street go (not saved here): at
    closing when no money was ever paid, else when the payment records' 30 years are over
    (services/retention.py)."""
    member.real_name = _("已注销")
    member.id_number = ""
    member.id_number_index = f"closed:{member.pk}"
    member.id_number_masked = ""
    member.birth_date = date(1900, 1, 1)
    member.sex = ""
    member.street = member.grassroots_union = None


def closure_withdraw(*, closure: ClosureRequest, actor: User) -> Decision:
    return application_transition(application=closure, actor=actor, step="withdraw")
