"""Every write to an application goes through these functions.

``application_transition`` is the only place a status changes: in one transaction it locks
the application row, checks the workflow table and the actor's role, applies the move's own
rules (proofs present and deadline for a submit; the budget, under a lock on the program row,
for an approval), saves, writes the ``StatusChange`` row and the worker's inbox message, and
queues the text message for after the commit.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from services.applications import selectors, workflow
from services.applications.models import (
    Application,
    Attachment,
    Notification,
    PaymentBatch,
    Program,
    ReferenceCounter,
    StatusChange,
)
from services.applications.uploads import inspect_upload
from services.applications.workflow import Role, Status
from services.decisions import Decision
from services.members.models import Member

logger = logging.getLogger(__name__)


class AlreadyApplied(ValidationError):
    pass


def _next_reference(program: Program) -> str:
    key = f"{program.code}-{program.year}"
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(key=key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"QT-{program.code}-{program.year}-{counter.last:06d}"


def application_create(
    *, program: Program, applicant: Member, bank_card: str, requested_amount: Decimal, reason: str
) -> Application:
    """A draft the worker can come back to; one per worker per program batch."""
    decision = selectors.program_availability(program=program)
    if not decision:
        raise ValidationError(decision.reason)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                program=program,
                applicant=applicant,
                street=applicant.street,
                reference=_next_reference(program),
                requested_amount=requested_amount,
                amount_reason=reason[:300],
                bank_card=bank_card,
            )
            StatusChange.objects.create(
                application=application, to_status=Status.DRAFT, actor=applicant.user
            )
    except IntegrityError as error:
        raise AlreadyApplied(_("您已经申请过本批次，可以在“我的申请”中继续。")) from error
    return application


def attachment_add(*, application: Application, member: Member, kind: str, upload) -> Attachment:
    """A proof uploaded by the applicant while the application is a draft or needs more info."""
    if application.applicant_id != member.pk:
        raise PermissionError("not the applicant")
    if application.status not in workflow.EDITABLE:
        raise ValidationError(_("申请已提交，现在不能再上传材料。"))
    facts = inspect_upload(upload)
    return Attachment.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=facts.name,
        size=facts.size,
        content_type=facts.content_type,
        sha256=facts.sha256,
    )


WORKER_MESSAGES = {
    Status.SUBMITTED: _("您的申请 %(ref)s 已提交，等待街道初审。"),
    Status.IN_REVIEW: _("您的申请 %(ref)s 已通过街道初审，等待区总工会复审。"),
    Status.NEEDS_INFO: _("您的申请 %(ref)s 需要补充材料：%(note)s"),
    Status.APPROVED: _("您的申请 %(ref)s 已批准，补助 %(amount)s 元，将按批次发放。"),
    Status.REJECTED: _("您的申请 %(ref)s 未通过：%(note)s"),
    Status.PAID: _("您的申请 %(ref)s 补助 %(amount)s 元已发放。"),
    Status.WITHDRAWN: _("您的申请 %(ref)s 已撤回。"),
}


def _notify(application: Application, note: str) -> None:
    text = WORKER_MESSAGES[application.status] % {
        "ref": application.reference,
        "note": note or "-",
        "amount": application.approved_amount or application.requested_amount,
    }
    notification = Notification.objects.create(
        user=application.applicant.user, application=application, text=text
    )

    def enqueue():
        from services.applications.tasks import deliver_notification

        try:
            deliver_notification.enqueue(notification.pk)
        except Exception:  # the queue being down must not undo a saved decision
            logger.exception("could not queue notification %s", notification.pk)

    transaction.on_commit(enqueue)


@dataclass(frozen=True)
class Move:
    to: str
    role: str
    note: str = ""
    approved_amount: Decimal | None = None


def _check(application: Application, move: Move, actor) -> Decision:
    if move.role not in workflow.allowed(
        application.program.workflow_kind, application.status, move.to
    ):
        return Decision.deny(
            _("当前状态“%(status)s”下不能进行这一步。")
            % {"status": application.get_status_display()}
        )
    if move.role not in selectors.roles_of(actor, application):
        return Decision.deny(_("您没有处理这份申请的权限。"))
    if move.role != Role.APPLICANT and application.applicant.user_id == actor.pk:
        return Decision.deny(_("不能审核自己的申请。"))
    if move.to in {Status.NEEDS_INFO, Status.REJECTED} and not move.note.strip():
        return Decision.deny(_("请写明原因，申请人会看到这段说明。"))
    if move.to == Status.SUBMITTED:
        if timezone.now() > application.program.closes_at:
            return Decision.deny(_("本批次已截止申请，不能再提交。"))
        have = set(application.attachments.values_list("kind", flat=True))
        missing = [k for k in application.program.required_proofs if k not in have]
        if missing:
            from services.applications.models import AttachmentKind

            names = "、".join(str(AttachmentKind(k).label) for k in missing)
            return Decision.deny(_("还缺少材料：%(names)s。") % {"names": names})
    if move.to == Status.APPROVED and application.recommended_by_id == actor.pk:
        return Decision.deny(_("初审推荐人不能再做复审。"))
    return Decision.allow()


def application_transition(*, application: Application, actor, move: Move) -> Decision:
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("program", "applicant", "applicant__user")
            .get(pk=application.pk)
        )
        decision = _check(application, move, actor)
        if not decision:
            return decision
        now = timezone.now()
        if move.to == Status.APPROVED:
            decision = _reserve_budget(application, move.approved_amount)
            if not decision:
                return decision
            application.decided_by, application.decided_at = actor, now
        elif move.to == Status.REJECTED:
            application.decided_by, application.decided_at = actor, now
        elif move.to == Status.IN_REVIEW:
            application.recommended_by = actor
        elif move.to == Status.SUBMITTED:
            application.submitted_at = now
        StatusChange.objects.create(
            application=application,
            from_status=application.status,
            to_status=move.to,
            actor=actor,
            note=move.note.strip(),
        )
        application.status = move.to
        application.save()
        _notify(application, move.note.strip())
    return Decision.allow()


def _reserve_budget(application: Application, amount: Decimal | None) -> Decision:
    """Approving reserves the amount against the budget, under a lock on the program row."""
    amount = application.requested_amount if amount is None else amount
    if amount <= 0:
        return Decision.deny(_("批准金额必须大于 0。"))
    if amount > application.requested_amount or amount > application.program.per_person_cap:
        return Decision.deny(_("批准金额不能超过按规则计算的金额和每人上限。"))
    program = Program.objects.select_for_update().get(pk=application.program_id)
    left = program.budget - selectors.budget_committed(program)
    if amount > left:
        return Decision.deny(
            _("预算不足：本批次还剩 %(left)s 元，不够批准 %(amount)s 元。")
            % {"left": left, "amount": amount}
        )
    application.approved_amount = amount
    return Decision.allow()


def payment_batch_create(*, applications, actor) -> tuple[PaymentBatch | None, list[str]]:
    """Mark approved applications paid together; returns the batch and any refusals."""
    problems = []
    with transaction.atomic():
        now = timezone.localtime()
        batch = PaymentBatch.objects.create(
            reference=f"PAY-{now:%Y%m%d-%H%M%S}-{actor.pk}", created_by=actor
        )
        paid = 0
        for application in applications:
            decision = application_transition(
                application=application, actor=actor, move=Move(Status.PAID, Role.FINANCE)
            )
            if decision:
                Application.objects.filter(pk=application.pk).update(payment_batch=batch)
                paid += 1
            else:
                problems.append(f"{application.reference}: {decision.reason}")
        if not paid:
            transaction.set_rollback(True)
            return None, problems
    return batch, problems
