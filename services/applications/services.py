"""Every write to an application goes through these functions.

A draft is created (``application_create``) or edited (``application_update``) by the program
app's own service, which computes the amount by its rule; proofs are added and removed here;
every status change is a step of the workflow, taken through the one engine
(``application_transition``, re-exported from ``engine``). Writes raise ``ValidationError`` or
``PermissionDenied`` with a ``code``; checks return a ``Decision``.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.pagecache import page_cache_changed
from services.applications import selectors
from services.applications.engine import application_transition, record_start
from services.applications.ledger import next_reference
from services.applications.models import Application, Attachment, Program
from services.applications.uploads import inspect_upload
from services.members.models import Member, User

__all__ = [
    "application_create", "application_transition", "application_update", "attachment_add",
    "attachment_delete", "program_save", "program_delete",
]  # fmt: skip

REASON_MAX = 300


AUDITED_PROGRAM_FIELDS = (
    "budget", "per_person_cap", "max_applications", "rule_params", "required_proofs",
    "opens_at", "closes_at", "min_membership_months", "min_age", "kind",
)  # fmt: skip


def _shown(value) -> str:
    """A program's value as the audit log shows it: times in Beijing time, rules as JSON."""
    import json
    from datetime import datetime

    from django.utils import timezone

    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "—" if value is None else str(value)


def program_save(*, program: Program, actor: User) -> Program:
    """Save a program as staff edited it; the public program pages show the change at once,
    and a change of its money or rules is in the audit log with the values before and after."""
    from services.members.audit import Action, audit_record

    with transaction.atomic():
        before = Program.objects.filter(pk=program.pk).first() if program.pk else None
        program.save()
        changed = [
            f"{Program._meta.get_field(name).verbose_name}："
            f"{_shown(getattr(before, name, None))} → {_shown(getattr(program, name))}"
            for name in AUDITED_PROGRAM_FIELDS
            if before is None or getattr(before, name) != getattr(program, name)
        ]
        if changed:
            audit_record(
                actor=actor, action=Action.PROGRAM, obj=program,
                subject=f"{program.code} {program.year}：" + "；".join(changed),
            )  # fmt: skip
        page_cache_changed("programs")
    return program


def program_delete(*, program: Program, actor: User) -> None:
    with transaction.atomic():
        program.delete()
        page_cache_changed("programs")


def application_create(
    *, program: Program, applicant: Member, requested_amount: Decimal, reason: str, actor: User
) -> Application:
    """A draft the worker can come back to (one per batch where the program type says so)."""
    decision = selectors.program_availability(program=program)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code or "unavailable")
    program_type = program.program_type
    try:
        with transaction.atomic():
            application = Application.objects.create(
                program=program,
                applicant=applicant,
                street=applicant.street,
                reference=next_reference(f"QT-{program.code}", program.year),
                status=program_type.workflow.initial,
                single_slot=program_type.one_per_batch,
                requested_amount=requested_amount,
                amount_reason=reason[:REASON_MAX],
            )
            record_start(application=application, actor=actor)
    except IntegrityError as error:
        # Two saves raced past the eligibility check; the database kept one.
        raise ValidationError(
            _("您已经申请过本批次，请在“我的申请”中查看。"), code="already_applied"
        ) from error
    return application


def application_update(
    *, application: Application, requested_amount: Decimal, reason: str, actor: User
) -> Application:
    """A draft's amount and its reason, after the program app changed its details."""
    _check_applicant(application, actor)
    if application.status != application.workflow.initial:
        raise ValidationError(_("申请已提交，不能再修改内容。"), code="not_editable")
    application.requested_amount = requested_amount
    application.amount_reason = reason[:REASON_MAX]
    application.save(update_fields=["requested_amount", "amount_reason"])
    return application


def _check_applicant(application: Application, actor: User) -> None:
    if application.applicant.user_id != actor.pk:
        raise PermissionDenied(_("只有申请人本人可以这样做。"))


def attachment_add(*, application: Application, actor: User, kind: str, upload) -> Attachment:
    """A proof uploaded by the applicant while the application is still editable."""
    _check_applicant(application, actor)
    if application.status not in application.workflow.editable:
        raise ValidationError(_("申请已提交，现在不能再上传材料。"), code="not_editable")
    if kind not in application.program.program_type.proof_kinds:
        raise ValidationError(_("请选择材料类型。"), code="kind")
    facts = inspect_upload(upload)
    return Attachment.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=facts.name,
        size=facts.size,
        content_type=facts.content_type,
        sha256=facts.sha256,
        uploaded_by=actor,
    )


def attachment_can_delete(*, attachment: Attachment, actor: User):
    """A proof can be taken back until staff have seen it: while the application is editable
    and the proof was uploaded after the last submission."""
    from services.decisions import Decision

    application = attachment.application
    if application.applicant.user_id != actor.pk:
        return Decision.deny(_("只有申请人本人可以删除材料。"), code="not_applicant")
    if application.status not in application.workflow.editable:
        return Decision.deny(_("申请已提交，材料不能再删除。"), code="not_editable")
    if application.submitted_at and attachment.uploaded_at <= application.submitted_at:
        return Decision.deny(
            _("这份材料已经提交给工作人员，不能删除；可以上传新的材料补充。"), code="seen"
        )
    return Decision.allow()


def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    decision = attachment_can_delete(attachment=attachment, actor=actor)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    stored = attachment.file
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


def application_paid(*, entry, actor: User) -> None:
    """The bank has paid the ledger entry of an application: it becomes 已发放 and the worker
    is told, once (registered as the ledger's handler for applications)."""
    application = Application.objects.get(pk=entry.source_id)
    decision = application_transition(application=application, actor=actor, step="pay")
    if not decision:
        raise ValidationError(decision.reason, code=decision.code or "pay")


def medical_view(*, actor: User, member: Member, ip_address: str | None, subject: str = "") -> None:
    """Staff open a claim's diagnosis or medical documents (a program type marked
    ``medical``): only with the permission (the reviewers, not finance), and every view is
    logged with who, when and from where."""
    from services.members.audit import Action, audit_record

    if not actor.has_perm("applications.view_medical"):
        raise PermissionDenied(_("您没有查看理赔医疗信息的权限。"))
    audit_record(
        actor=actor, member=member, action=Action.MEDICAL, ip_address=ip_address,
        subject=subject,
    )  # fmt: skip
