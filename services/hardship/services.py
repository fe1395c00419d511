"""Every write about hardship help goes through these functions: asking for help (the worker,
or staff for the worker with the worker's consent recorded), the register's yearly review
and closing a file. Steps of a request (visit, file, decline, withdraw) go through the
shared engine (``workflow.py``)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications.engine import application_transition, record_start
from services.decisions import Decision
from services.hardship.models import (
    CloseReason,
    FileStatus,
    HardshipFile,
    HelpRequest,
    HelpStatus,
)
from services.members.audit import Action, audit_record
from services.members.models import Member, User
from services.members.selectors import staff_may

FACTS = ("causes", "household_size", "income_per_head", "situation")


def help_can_request(*, member: Member) -> Decision:
    """Whether the worker may ask for help now, and if not, why."""
    if member.street_id is None:
        return Decision.deny(
            _("请先在“我的”页面填写工作单位，帮扶由单位所在街道的工会办理。"), code="no_street"
        )
    if member.help_requests.filter(status__in=[HelpStatus.SUBMITTED, HelpStatus.VISITED]).exists():
        return Decision.deny(_("您已有一份正在办理的帮扶申请。"), code="open_request")
    if member.hardship_files.filter(status=FileStatus.ACTIVE).exists():
        return Decision.deny(
            _("您已在困难职工档案中，如情况有变化请联系街道工会。"), code="on_file"
        )
    return Decision.allow()


def help_request_create(
    *, member: Member, data: dict, actor: User, consent_recorded: bool = False
) -> HelpRequest:
    """The worker asks for help, or staff of the worker's street ask for them having recorded
    the worker's consent (on paper or in person)."""
    on_behalf = actor.pk != member.user_id
    if on_behalf:
        if not staff_may(actor, "hardship.add_helprequest", member.street_id):
            raise PermissionDenied(_("您不能为这名职工申请帮扶。"))
        if not consent_recorded:
            raise ValidationError({"consent_recorded": _("代为申请前请确认已取得职工本人同意。")})
    decision = help_can_request(member=member)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                member=member, street_id=member.street_id,
                filed_by_staff=actor if on_behalf else None,
                **{f: data[f] for f in FACTS},
            )  # fmt: skip
            record_start(application=request, actor=actor)
    except IntegrityError as error:  # a double click
        raise ValidationError(_("您已有一份正在办理的帮扶申请。"), code="open_request") from error
    return request


def help_request_withdraw(*, request: HelpRequest, actor: User) -> Decision:
    return application_transition(application=request, actor=actor, step="withdraw")


def _check_staff(file: HardshipFile, actor: User, perm: str) -> None:
    if not staff_may(actor, perm, file.street_id):
        raise PermissionDenied(_("您没有办理这份档案的权限。"))


def hardship_viewed(*, record, actor: User, ip_address: str | None) -> None:
    """A file or a request shows income, causes, illness: only staff of its street (or the
    district) see it, and every view is logged."""
    perm = (
        "hardship.view_hardshipfile"
        if isinstance(record, HardshipFile)
        else ("hardship.view_helprequest")
    )
    if not staff_may(actor, perm, record.street_id):
        raise PermissionDenied(_("您没有查看这份档案的权限。"))
    audit_record(
        actor=actor, member=record.member, action=Action.HARDSHIP, obj=record,
        ip_address=ip_address, subject=record.reference,
    )  # fmt: skip


def file_reviewed(*, file: HardshipFile, actor: User) -> HardshipFile:
    """The yearly review is done and the household still qualifies: next review in a year."""
    _check_staff(file, actor, "hardship.change_hardshipfile")
    if file.status != FileStatus.ACTIVE:
        raise ValidationError(_("已销档的档案不用复核。"), code="closed")
    file.review_due_on = timezone.localdate() + timedelta(days=365)
    file.save(update_fields=["review_due_on"])
    return file


def file_close(*, file: HardshipFile, actor: User, reason: str) -> HardshipFile:
    _check_staff(file, actor, "hardship.change_hardshipfile")
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("请选择销档原因。")})
    with transaction.atomic():
        file = HardshipFile.objects.select_for_update().get(pk=file.pk)
        if file.status != FileStatus.ACTIVE:
            raise ValidationError(_("这份档案已经销档。"), code="closed")
        file.status, file.close_reason = FileStatus.CLOSED, reason
        file.closed_on = timezone.localdate()
        file.save(update_fields=["status", "close_reason", "closed_on"])
    return file
