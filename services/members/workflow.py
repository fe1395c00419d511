"""Joining the union, as a workflow table on the shared engine.

A worker's request is *submitted*; a street reviewer of its street (or a district approver)
*approves* it, choosing a grassroots union if the worker asked to be placed, or *rejects* it
with a reason the worker reads; the worker may *withdraw* it while it waits. Approval issues
the membership number (``QT`` + year + a 6-digit number from a per-year counter locked for
the purpose) and writes the employment details into the worker's record; a rejected or
withdrawn request changes nothing there.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from services.applications.engine import (
    Role,
    StepContext,
    Workflow,
    register_workflow,
    step,
)
from services.decisions import Decision
from services.members.models import (
    CertificateStatus,
    ClosureStatus,
    JoinStatus,
    MembershipCounter,
    VerificationStatus,
)

R, J = Role, JoinStatus


def union_chosen(context: StepContext) -> Decision:
    union = context.data.get("grassroots_union") or context.application.grassroots_union
    if union is None:
        return Decision.deny(_("请为职工选择一个基层工会。"), code="union_required")
    if union.street_id != context.application.street_id:
        return Decision.deny(_("这个基层工会不在申请所在的街道。"), code="union_street")
    return Decision.allow()


def still_not_a_member(context: StepContext) -> Decision:
    if context.application.member.is_member:
        return Decision.deny(_("该职工已经是工会会员。"), code="already_member")
    return Decision.allow()


def _next_membership_number(year: int) -> str:
    counter, _created = MembershipCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"QT{year}{counter.last:06d}"


def admit_member(context: StepContext) -> None:
    join_request = context.application
    union = context.data.get("grassroots_union") or join_request.grassroots_union
    today = timezone.localdate(context.now)
    member = join_request.member
    member.membership_number = _next_membership_number(today.year)
    member.verification_status = VerificationStatus.VERIFIED
    member.joined_on = today
    member.grassroots_union = union
    member.employment_form = join_request.employment_form
    if not member.street_id:
        member.street = join_request.street
    member.save(
        update_fields=[
            "membership_number", "verification_status", "joined_on", "grassroots_union",
            "employment_form", "street",
        ]
    )  # fmt: skip
    join_request.grassroots_union = union


def record_decision(context: StepContext) -> None:
    join_request = context.application
    join_request.decision_note = context.note
    join_request.decided_by = context.actor
    join_request.decided_at = context.now


JOINING = register_workflow(
    Workflow(
        name="joining",
        label=gettext_lazy("入会申请"),
        statuses=JoinStatus,
        initial=J.SUBMITTED,
        final=frozenset({J.APPROVED, J.REJECTED, J.WITHDRAWN}),
        steps=(
            step(
                "approve", J.SUBMITTED, J.APPROVED, [R.STREET_REVIEWER, R.DISTRICT_APPROVER],
                gettext_lazy("批准入会"), gettext_noop("您的入会申请已批准，会员号 %(number)s。"),
                guards=[still_not_a_member, union_chosen], effects=[record_decision, admit_member],
            ),
            step(
                "reject", J.SUBMITTED, J.REJECTED, [R.STREET_REVIEWER, R.DISTRICT_APPROVER],
                gettext_lazy("不批准"), gettext_noop("您的入会申请未获批准：%(note)s"),
                note_required=True, effects=[record_decision],
            ),
            step(
                "withdraw", J.SUBMITTED, J.WITHDRAWN, [R.APPLICANT], gettext_lazy("撤回申请"),
            ),
        ),
    )
)  # fmt: skip


# -- closing an account ------------------------------------------------------------------------


def no_money_waiting(context: StepContext) -> Decision:
    """Money decided but not yet paid, or an application still being reviewed, must be
    settled first: closing would leave staff unable to reach the worker about it."""
    from services.applications.models import LedgerEntry

    member = context.application.member
    if LedgerEntry.objects.filter(member=member, status__in=["reserved", "in_batch"]).exists():
        return Decision.deny(
            _("该职工还有已核定未发放的款项，请先发放或撤销后再注销。"), code="money_waiting"
        )
    if member.applications.filter(status__in=["submitted", "in_review", "needs_info"]).exists():
        return Decision.deny(
            _("该职工还有审核中的申请，请先办结后再注销。"), code="applications_open"
        )
    return Decision.allow()


def close_account(context: StepContext) -> None:
    from services.members.services import member_anonymise

    record_decision(context)
    member_anonymise(member=context.application.member, actor=context.actor)
    context.application.reason = ""  # the engine saves this row after the effects


CLOSING = register_workflow(
    Workflow(
        name="closing",
        label=gettext_lazy("注销账号"),
        statuses=ClosureStatus,
        initial=ClosureStatus.REQUESTED,
        final=frozenset({ClosureStatus.CLOSED, ClosureStatus.REFUSED, ClosureStatus.WITHDRAWN}),
        steps=(
            step(
                "close", ClosureStatus.REQUESTED, ClosureStatus.CLOSED, [R.SYSTEM_ADMIN],
                gettext_lazy("注销（删除或匿名化个人信息）"), guards=[no_money_waiting],
                effects=[close_account],
            ),
            step(
                "refuse", ClosureStatus.REQUESTED, ClosureStatus.REFUSED, [R.SYSTEM_ADMIN],
                gettext_lazy("暂不能注销"), gettext_noop("您的注销申请暂不能办理：%(note)s"),
                note_required=True, effects=[record_decision],
            ),
            step(
                "withdraw", ClosureStatus.REQUESTED, ClosureStatus.WITHDRAWN, [R.APPLICANT],
                gettext_lazy("撤回注销申请"),
            ),
        ),
    )
)  # fmt: skip


# -- skill certificates ------------------------------------------------------------------------

# Registered by ``services.courses``: the course manager of the worker's street may verify a
# certificate, as may a street reviewer or a district approver.
COURSE_MANAGER = "course_manager"
C = CertificateStatus


CERTIFYING = register_workflow(
    Workflow(
        name="certifying",
        label=gettext_lazy("技能证书核验"),
        statuses=CertificateStatus,
        initial=C.SUBMITTED,
        final=frozenset({C.VERIFIED, C.REJECTED, C.WITHDRAWN}),
        steps=(
            step(
                "verify", C.SUBMITTED, C.VERIFIED,
                [R.STREET_REVIEWER, COURSE_MANAGER, R.DISTRICT_APPROVER],
                gettext_lazy("核验通过"),
                gettext_noop(
                    "您的职业技能等级证书（%(occupation)s %(level)s）已核验，已记入您的档案。"
                ),
                effects=[record_decision],
            ),
            step(
                "reject", C.SUBMITTED, C.REJECTED,
                [R.STREET_REVIEWER, COURSE_MANAGER, R.DISTRICT_APPROVER],
                gettext_lazy("核验不通过"),
                gettext_noop("您上传的职业技能等级证书未通过核验：%(note)s"),
                note_required=True, effects=[record_decision],
            ),
            step(
                "withdraw", C.SUBMITTED, C.WITHDRAWN, [R.APPLICANT], gettext_lazy("撤回"),
                texted=False,
            ),
        ),
    )
)  # fmt: skip
