"""Publishing the public notice (公示) of a program's approved beneficiaries, and recording the
objections it draws. (What a notice is and why names are masked: ``models/notices.py``.)

- ``notice_can_create``: whether the program may have a notice now, and if not, why: the
  program must be marked 需要公示, must not be a medical program, and must have applications
  the workflow has committed money to (approved or paid).
- ``notice_create``: the notice with its period and the address for objections; its lines are
  the program's committed applications at that moment, each with the name masked, the
  employer and the amount, written once and never changed.
- ``notice_withdraw``: staff take a notice down early, with a reason.
- ``objection_record`` / ``objection_resolve``: an objection is recorded against the
  application it names, by staff of that application's street (or the district), and closed
  with what the check found.

Every write raises ``ValidationError`` (with a ``code``, keyed by form field where one is to
blame) or ``PermissionDenied``, and writes nothing when it does.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.pagecache import page_cache_changed
from services.applications.models import (
    NOTICE_MAX_DAYS,
    NOTICE_MIN_DAYS,
    Application,
    NoticeEntry,
    NoticeObjection,
    ObjectionChannel,
    Program,
    PublicNotice,
)
from services.applications.models.notices import TEXT_MAX
from services.decisions import Decision
from services.members.models import Member, User
from services.members.pii import mask_name
from services.members.selectors import staff_may
from services.members.validators import mask_number_runs

PUBLISH_PERM = "applications.add_publicnotice"
WITHDRAW_PERM = "applications.change_publicnotice"
RECORD_PERM = "applications.add_noticeobjection"
RESOLVE_PERM = "applications.change_noticeobjection"
TITLE_MAX, CONTACT_MAX, REASON_MAX = 100, 300, 500


def _text(value, *, field: str, limit: int, required: bool, errors: dict) -> str:
    """The text stripped, or a message for the field when it is missing or too long."""
    text = (value or "").strip()
    if required and not text:
        errors[field] = ValidationError(_("请填写这一项。"), code="required")
    elif len(text) > limit:
        errors[field] = ValidationError(
            _("最多 %(max)s 个字，现在是 %(count)s 个字。") % {"max": limit, "count": len(text)},
            code="too_long",
        )
    return text


def employer_of(member: Member) -> str:
    """The employer as the notice shows it: the enterprise on record, else what the worker
    typed (gig workers, employers not listed; checked when typed, and any long run of digits
    typed before that check hidden here), else a dash."""
    if member.employer_id:
        return member.employer.name
    return mask_number_runs((member.employer_name or "").strip()) or "—"


def committed_applications(program: Program):
    """The program's applications the workflow holds money for (approved, paid)."""
    return Application.objects.filter(
        program=program, status__in=program.workflow.committed
    ).order_by("reference")


def notice_can_create(*, program: Program, actor: User) -> Decision:
    if not actor.has_perm(PUBLISH_PERM):
        return Decision.deny(_("您没有发布公示的权限。"), code="no_permission")
    if not program.requires_notice:
        return Decision.deny(
            _("项目“%(name)s”没有设置“需要公示”，不能发布公示。") % {"name": program},
            code="not_required",
        )
    program_type = program.program_type
    if program_type is None:
        return Decision.deny(_("本项目的类型已不再使用，不能发布公示。"), code="unknown_type")
    if program_type.medical:
        return Decision.deny(_("医疗互助理赔涉及个人健康信息，不能公示获批名单。"), code="medical")
    if not committed_applications(program).exists():
        return Decision.deny(
            _("项目“%(name)s”还没有已批准或已发放的申请，没有可公示的名单。") % {"name": program},
            code="nobody",
        )
    return Decision.allow()


def period_problems(*, starts_at: datetime, ends_at: datetime, now: datetime) -> dict:
    """What is wrong with a notice's period, by field: it ends after it starts, lasts at least
    ``NOTICE_MIN_DAYS`` (time for anyone to object) and at most ``NOTICE_MAX_DAYS``, starts
    today or later but within ``NOTICE_MAX_DAYS`` (the list is frozen when the notice is made),
    and has not ended already."""
    problems = {}
    if ends_at <= starts_at:
        problems["ends_at"] = ValidationError(
            _("公示结束时间应晚于开始时间。"), code="period_order"
        )
    elif ends_at - starts_at < timedelta(days=NOTICE_MIN_DAYS):
        problems["ends_at"] = ValidationError(
            _("公示期至少 %(days)s 天，给大家提出异议的时间。") % {"days": NOTICE_MIN_DAYS},
            code="period_too_short",
        )
    elif ends_at - starts_at > timedelta(days=NOTICE_MAX_DAYS):
        problems["ends_at"] = ValidationError(
            _("公示期最长 %(days)s 天。") % {"days": NOTICE_MAX_DAYS}, code="period_too_long"
        )
    elif ends_at <= now:
        problems["ends_at"] = ValidationError(_("公示结束时间已经过去。"), code="ended")
    if timezone.localdate(starts_at) < timezone.localdate(now):
        problems["starts_at"] = ValidationError(
            _("公示开始时间不能早于今天。"), code="starts_in_past"
        )
    elif starts_at - now > timedelta(days=NOTICE_MAX_DAYS):
        problems["starts_at"] = ValidationError(
            _("公示最迟在 %(days)s 天内开始：名单在发布时确定，开始太晚就不是最新的了。")
            % {"days": NOTICE_MAX_DAYS},
            code="starts_too_late",
        )
    return problems


@transaction.atomic
def notice_create(
    *,
    program: Program,
    title: str,
    intro: str = "",
    starts_at: datetime,
    ends_at: datetime,
    objection_contact: str,
    actor: User,
) -> PublicNotice:
    """The notice and its lines, frozen from the program's committed applications now."""
    if not actor.has_perm(PUBLISH_PERM):
        raise PermissionDenied(_("您没有发布公示的权限。"))
    errors: dict = {}
    title = _text(title, field="title", limit=TITLE_MAX, required=True, errors=errors)
    intro = _text(intro, field="intro", limit=TEXT_MAX, required=False, errors=errors)
    objection_contact = _text(
        objection_contact, field="objection_contact", limit=CONTACT_MAX, required=True,
        errors=errors,
    )  # fmt: skip
    now = timezone.now()
    errors |= period_problems(starts_at=starts_at, ends_at=ends_at, now=now)
    # One notice at a time per program (a double click, two staff at once): under its lock.
    program = Program.objects.select_for_update().get(pk=program.pk)
    decision = notice_can_create(program=program, actor=actor)
    if not decision:
        errors["program"] = ValidationError(decision.reason, code=decision.code)
    elif "starts_at" not in errors and "ends_at" not in errors:
        overlapping = (
            PublicNotice.objects.filter(
                program=program,
                withdrawn_at__isnull=True,
                starts_at__lt=ends_at,
                ends_at__gt=max(starts_at, now),
            )  # fmt: skip
            .order_by("starts_at")
            .first()
        )
        if overlapping is not None:
            errors["starts_at"] = ValidationError(
                _("本项目的公示“%(title)s”与这个公示期重叠；如需更正名单，请先撤下它。")
                % {"title": overlapping.title},
                code="overlap",
            )
    if errors:
        raise ValidationError(errors)
    notice = PublicNotice.objects.create(
        program=program, title=title, intro=intro, starts_at=starts_at, ends_at=ends_at,
        objection_contact=objection_contact, created_by=actor,
    )  # fmt: skip
    applications = committed_applications(program).select_related("applicant__employer")
    NoticeEntry.objects.bulk_create(
        NoticeEntry(
            notice=notice,
            application=application,
            order=order,
            masked_name=mask_name(application.applicant.real_name),
            employer=employer_of(application.applicant)[:200],
            amount=(
                application.requested_amount
                if application.approved_amount is None
                else application.approved_amount
            ),
        )  # fmt: skip
        for order, application in enumerate(applications, start=1)
    )
    page_cache_changed("notices")
    return notice


@transaction.atomic
def notice_withdraw(*, notice: PublicNotice, reason: str, actor: User) -> PublicNotice:
    """Take the notice off the site before its end (a wrong list, a decision revoked)."""
    if not actor.has_perm(WITHDRAW_PERM):
        raise PermissionDenied(_("您没有撤下公示的权限。"))
    errors: dict = {}
    reason = _text(reason, field="reason", limit=REASON_MAX, required=True, errors=errors)
    if errors:
        raise ValidationError(errors)
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("这份公示已经撤下了。"), code="withdrawn")
    now = timezone.now()
    if locked.ends_at <= now:
        raise ValidationError(_("公示期已经结束，公示已不在网站上。"), code="ended")
    locked.withdrawn_at, locked.withdrawn_by, locked.withdrawn_reason = now, actor, reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    page_cache_changed("notices")
    return locked


def _received_problem(notice: PublicNotice, received_on: date) -> ValidationError | None:
    first = timezone.localdate(notice.starts_at)
    last = timezone.localdate(notice.ends_at)
    if notice.withdrawn_at is not None:
        last = min(last, timezone.localdate(notice.withdrawn_at))
    if received_on > timezone.localdate():
        return ValidationError(_("收到日期不能晚于今天。"), code="received_in_future")
    if received_on < first:
        return ValidationError(
            _("收到日期早于公示开始（%(date)s）。") % {"date": first}, code="before_notice"
        )
    if received_on > last:
        return ValidationError(
            _("收到日期晚于公示结束（%(date)s），已过异议期。") % {"date": last},
            code="after_notice",
        )
    return None


@transaction.atomic
def objection_record(
    *,
    notice: PublicNotice,
    application: Application,
    received_on: date,
    channel: str,
    content: str,
    actor: User,
) -> NoticeObjection:
    """An objection to an award on the notice, recorded against that application by staff of
    its street or the district."""
    if not staff_may(actor, RECORD_PERM, application.street_id):
        raise PermissionDenied(_("您没有登记这份申请的公示异议的权限。"))
    errors: dict = {}
    content = _text(content, field="content", limit=TEXT_MAX, required=True, errors=errors)
    if channel not in ObjectionChannel.values:
        errors["channel"] = ValidationError(_("请选择反映方式。"), code="channel")
    if problem := _received_problem(notice, received_on):
        errors["received_on"] = problem
    if not notice.entries.filter(application=application).exists():
        errors["application"] = ValidationError(
            _("申请 %(ref)s 不在这份公示的名单中。") % {"ref": application.reference},
            code="not_in_notice",
        )
    if errors:
        raise ValidationError(errors)
    # The same objection sent twice (a double click) is recorded once.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    same = {
        "notice": notice, "application": application, "received_on": received_on,
        "channel": channel, "content": content,
    }  # fmt: skip
    if NoticeObjection.objects.filter(**same).exists():
        raise ValidationError(_("这条异议已经登记过了。"), code="duplicate")
    return NoticeObjection.objects.create(**same, recorded_by=actor)


@transaction.atomic
def objection_resolve(*, objection: NoticeObjection, outcome: str, actor: User) -> NoticeObjection:
    """What the check of an objection found; the objection is then closed. (Revoking the
    approval, if it comes to that, is the application's own workflow step.)"""
    if not staff_may(actor, RESOLVE_PERM, objection.application.street_id):
        raise PermissionDenied(_("您没有办理这条公示异议的权限。"))
    errors: dict = {}
    outcome = _text(outcome, field="outcome", limit=TEXT_MAX, required=True, errors=errors)
    if errors:
        raise ValidationError(errors)
    locked = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
    if locked.resolved_at is not None:
        raise ValidationError(_("这条异议已经办结了。"), code="resolved")
    locked.outcome, locked.resolved_by, locked.resolved_at = outcome, actor, timezone.now()
    locked.save(update_fields=["outcome", "resolved_by", "resolved_at"])
    return locked
