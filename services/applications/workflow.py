"""The review workflow of an application to a program, as a table (``TWO_STAGE``).

The *applicant* saves a draft, submits it, answers "more information needed" by resubmitting,
and may withdraw before a decision. The *street reviewer* (街道初审员) of the applicant's
street recommends it to the district, asks for more information, or rejects it. The *district
approver* (区总复审员) approves, which holds the money in the ledger against the program's
budget and the per-person cap; may correct the approved amount before it goes to the bank, or
revoke the approval; never on an application they recommended themselves. *Finance* does not
take a step by hand: an application becomes 已发放 when the bank's result for its ledger
entry is recorded as paid (``ledger.payment_line_record``).

Program types use this table as it is, or build their own with the same guards and effects.
"""

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from services.applications import ledger
from services.applications.engine import (
    Role,
    StepContext,
    StepRefused,
    Workflow,
    register_workflow,
    step,
)
from services.decisions import Decision
from services.words import listing

R = Role


class Status(TextChoices):
    """Where an application stands."""

    DRAFT = "draft", gettext_lazy("草稿")
    SUBMITTED = "submitted", gettext_lazy("已提交，待初审")
    IN_REVIEW = "in_review", gettext_lazy("初审通过，待复审")
    NEEDS_INFO = "needs_info", gettext_lazy("需补充材料")
    APPROVED = "approved", gettext_lazy("已批准，待发放")
    REJECTED = "rejected", gettext_lazy("未通过")
    WITHDRAWN = "withdrawn", gettext_lazy("已撤回")
    PAID = "paid", gettext_lazy("已发放")


S = Status

# -- guards: checks that say why not -----------------------------------------------------------


def before_deadline(context: StepContext) -> Decision:
    closes_at = context.application.program.closes_at
    if context.now > closes_at:
        when = timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M")
        return Decision.deny(
            _("本批次已截止申请（截止时间 %(when)s），不能再提交。") % {"when": when},
            code="closed",
        )
    return Decision.allow()


def proofs_present(context: StepContext) -> Decision:
    application = context.application
    have = set(application.attachments.values_list("kind", flat=True))
    have |= application.program.program_type.proofs_on_record(application)
    missing = [k for k in application.program.required_proofs if k not in have]
    if missing:
        program_type = application.program.program_type
        names = listing(program_type.proof_label(k) for k in missing)
        return Decision.deny(_("还缺少材料：%(names)s。") % {"names": names}, code="proofs_missing")
    return Decision.allow()


def not_the_recommender(context: StepContext) -> Decision:
    if context.application.recommended_by_id == context.actor.pk:
        return Decision.deny(_("初审推荐人不能再做复审。"), code="recommender")
    return Decision.allow()


def changed_amount_explained(context: StepContext) -> Decision:
    application = context.application
    if (
        context.amount is not None
        and context.amount != application.requested_amount
        and not context.note
    ):
        return Decision.deny(
            _("批准金额与按规则计算的 %(rule)s 元不同，请在说明中写明原因。")
            % {"rule": f"{application.requested_amount:,.2f}"},
            code="note_required",
        )
    return Decision.allow()


def amount_given(context: StepContext) -> Decision:
    if context.amount is None:
        return Decision.deny(_("请填写更正后的金额。"), code="amount_required")
    return Decision.allow()


def money_paid(context: StepContext) -> Decision:
    entry = ledger.entry_for(context.application)
    if entry is None or entry.status != "paid":
        return Decision.deny(
            _("银行发放结果录入为成功后，申请才会变为已发放。"), code="not_paid_by_bank"
        )
    return Decision.allow()


# -- effects: what a step does besides moving the status ---------------------------------------


def stamp_submitted(context: StepContext) -> None:
    context.application.submitted_at = context.now


def take_quota(context: StepContext) -> None:
    """A program with a limited number of places counts submitted applications under a lock
    on the program row, so simultaneous submits never take more places than there are."""
    from services.applications.models import Program
    from services.applications.selectors import places_taken

    program = Program.objects.select_for_update().get(pk=context.application.program_id)
    if program.max_applications is not None and places_taken(program) >= program.max_applications:
        raise StepRefused(Decision.deny(_("本批次名额已满。"), code="full"))


def record_recommender(context: StepContext) -> None:
    context.application.recommended_by = context.actor


def stamp_decided(context: StepContext) -> None:
    context.application.decided_by = context.actor
    context.application.decided_at = context.now


def reserve_money(context: StepContext) -> None:
    application = context.application
    amount = application.requested_amount if context.amount is None else context.amount
    program_type = application.program.program_type
    try:
        ledger.ledger_reserve(
            member=application.applicant, program=application.program, source=application,
            amount=amount, purpose=f"{application.program.name} {application.reference}",
            actor=context.actor,
            rule_check=lambda: program_type.decision_guard(application),
        )  # fmt: skip
    except ValidationError as error:
        raise StepRefused(Decision.deny(error.messages[0], code=error.code or "")) from error
    application.approved_amount = amount


def correct_money(context: StepContext) -> None:
    application = context.application
    entry = ledger.entry_for(application)
    try:
        ledger.ledger_correct(
            entry=entry, amount=context.amount, actor=context.actor, note=context.note
        )
    except ValidationError as error:
        raise StepRefused(Decision.deny(error.messages[0], code=error.code or "")) from error
    application.approved_amount = context.amount


def release_money(context: StepContext) -> None:
    entry = ledger.entry_for(context.application)
    try:
        ledger.ledger_reverse(entry=entry, actor=context.actor, reason=context.note)
    except ValidationError as error:
        raise StepRefused(Decision.deny(error.messages[0], code=error.code or "")) from error
    context.application.decided_by = context.actor
    context.application.decided_at = timezone.now()


# -- the table ---------------------------------------------------------------------------------

SUBMITTED_MESSAGE = gettext_noop("您的申请 %(ref)s 已提交，等待街道初审。")
NEEDS_INFO_MESSAGE = gettext_noop("您的申请 %(ref)s 需要补充材料：%(note)s")
REJECTED_MESSAGE = gettext_noop("您的申请 %(ref)s 未通过：%(note)s")

TWO_STAGE = register_workflow(
    Workflow(
        name="two_stage",
        label=gettext_lazy("两级审核（街道初审、区总复审）"),
        statuses=Status,
        initial=S.DRAFT,
        editable=frozenset({S.DRAFT, S.NEEDS_INFO}),
        committed=frozenset({S.APPROVED, S.PAID}),
        final=frozenset({S.REJECTED, S.WITHDRAWN, S.PAID}),
        steps=(
            step(
                "submit", S.DRAFT, S.SUBMITTED, [R.APPLICANT], gettext_lazy("提交申请"),
                SUBMITTED_MESSAGE, guards=[before_deadline, proofs_present],
                effects=[stamp_submitted, take_quota],
            ),
            step(
                "resubmit", S.NEEDS_INFO, S.SUBMITTED, [R.APPLICANT],
                gettext_lazy("补充完毕，重新提交"), SUBMITTED_MESSAGE, guards=[proofs_present],
                effects=[stamp_submitted],
            ),
            step(
                "withdraw", [S.DRAFT, S.SUBMITTED, S.NEEDS_INFO], S.WITHDRAWN, [R.APPLICANT],
                gettext_lazy("撤回申请"), gettext_noop("您的申请 %(ref)s 已撤回。"),
            ),
            step(
                "recommend", S.SUBMITTED, S.IN_REVIEW, [R.STREET_REVIEWER],
                gettext_lazy("初审通过，推荐到区总复审"),
                gettext_noop("您的申请 %(ref)s 已通过街道初审，等待区总工会复审。"),
                effects=[record_recommender],
            ),
            step(
                "ask_info", S.SUBMITTED, S.NEEDS_INFO, [R.STREET_REVIEWER, R.DISTRICT_APPROVER],
                gettext_lazy("需补充材料"), NEEDS_INFO_MESSAGE, note_required=True,
            ),
            step(
                "reject", S.SUBMITTED, S.REJECTED, [R.STREET_REVIEWER, R.DISTRICT_APPROVER],
                gettext_lazy("不通过"), REJECTED_MESSAGE, note_required=True,
                effects=[stamp_decided],
            ),
            step(
                "ask_info_district", S.IN_REVIEW, S.NEEDS_INFO, [R.DISTRICT_APPROVER],
                gettext_lazy("需补充材料"), NEEDS_INFO_MESSAGE, note_required=True,
            ),
            step(
                "reject_district", S.IN_REVIEW, S.REJECTED, [R.DISTRICT_APPROVER],
                gettext_lazy("不通过"), REJECTED_MESSAGE, note_required=True,
                effects=[stamp_decided],
            ),
            step(
                "approve", S.IN_REVIEW, S.APPROVED, [R.DISTRICT_APPROVER],
                gettext_lazy("复审批准"),
                gettext_noop("您的申请 %(ref)s 已批准，补助 %(amount)s 元，将按批次发放。"),
                takes_amount=True, guards=[not_the_recommender, changed_amount_explained],
                effects=[stamp_decided, reserve_money],
            ),
            step(
                "correct_amount", S.APPROVED, S.APPROVED, [R.DISTRICT_APPROVER],
                gettext_lazy("更正批准金额（未发放前）"),
                gettext_noop("您的申请 %(ref)s 批准金额更正为 %(amount)s 元：%(note)s"),
                note_required=True, takes_amount=True, guards=[amount_given],
                effects=[correct_money],
            ),
            step(
                "revoke", S.APPROVED, S.REJECTED, [R.DISTRICT_APPROVER],
                gettext_lazy("撤销批准（未发放前）"), REJECTED_MESSAGE, note_required=True,
                effects=[release_money],
            ),
            step(
                "pay", S.APPROVED, S.PAID, [R.FINANCE], gettext_lazy("已发放"),
                gettext_noop("您的申请 %(ref)s 补助 %(amount)s 元已发放。"), guards=[money_paid],
                automatic=True,
            ),
        ),
    )
)  # fmt: skip
