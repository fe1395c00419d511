"""A request for hardship help, as a workflow table on the shared engine (``HELPING``).

申请 (the worker, or staff for the worker) → 入户核实 (street staff visit the home and record
what they found, with the date and who went) → 建档 (a file is opened in the register, with
its tier) or 不予建档 (with the reason the worker reads). The worker may withdraw before the
visit. Street staff act in their own street; district approvers in every street.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from services.applications.engine import (
    Role,
    StepContext,
    StepRefused,
    Workflow,
    register_workflow,
    step,
)
from services.decisions import Decision
from services.hardship.models import HelpStatus

R, H = Role, HelpStatus
STAFF = [R.STREET_REVIEWER, R.DISTRICT_APPROVER]


def visit_recorded(context: StepContext) -> Decision:
    data = context.data
    if not data.get("visited_on") or not data.get("visitors"):
        return Decision.deny(_("请填写入户核实的日期和人员。"), code="visited_on")
    if data["visited_on"] > timezone.localdate():
        return Decision.deny(_("核实日期不能晚于今天。"), code="visited_on")
    asked = timezone.localtime(context.application.created_at).date()
    if data["visited_on"] < asked:
        return Decision.deny(
            _("核实日期不能早于申请日期（%(day)s）。") % {"day": f"{asked:%Y-%m-%d}"},
            code="visited_on",
        )
    return Decision.allow()


def record_visit(context: StepContext) -> None:
    request = context.application
    request.visited_on = context.data["visited_on"]
    request.visitors = context.data["visitors"][:100]


def tier_chosen(context: StepContext) -> Decision:
    if not context.data.get("tier"):
        return Decision.deny(_("建档请选择困难类别。"), code="tier")
    return Decision.allow()


def open_file(context: StepContext) -> None:
    from services.hardship.models import FileStatus, HardshipFile

    request = context.application
    if HardshipFile.objects.filter(member=request.member, status=FileStatus.ACTIVE).exists():
        raise StepRefused(Decision.deny(_("这名职工已有在册的困难档案。"), code="tier"))
    HardshipFile.objects.create(
        member=request.member, street=request.street, request=request,
        tier=context.data["tier"], causes=request.causes,
        household_size=request.household_size, income_per_head=request.income_per_head,
        situation=request.situation,
    )  # fmt: skip


HELPING = register_workflow(
    Workflow(
        name="helping",
        label=gettext_lazy("困难帮扶申请"),
        statuses=HelpStatus,
        initial=H.SUBMITTED,
        final=frozenset({H.FILED, H.DECLINED, H.WITHDRAWN}),
        steps=(
            step(
                "visit", H.SUBMITTED, H.VISITED, STAFF, gettext_lazy("已入户核实"),
                gettext_noop("工作人员已到您家中核实情况，接下来将决定是否建档。"),
                note_required=True, guards=[visit_recorded], effects=[record_visit],
            ),
            step(
                "file", H.VISITED, H.FILED, STAFF, gettext_lazy("建档"),
                gettext_noop("您的帮扶申请 %(ref)s 已通过，已建立困难职工档案。"),
                guards=[tier_chosen], effects=[open_file],
            ),
            step(
                "decline", [H.SUBMITTED, H.VISITED], H.DECLINED, STAFF,
                gettext_lazy("不予建档"), gettext_noop("您的帮扶申请 %(ref)s 未能建档：%(note)s"),
                note_required=True,
            ),
            step(
                "withdraw", H.SUBMITTED, H.WITHDRAWN, [R.APPLICANT], gettext_lazy("撤回申请"),
                texted=False,
            ),
        ),
    )
)  # fmt: skip
