"""A program type that exists only in the tests: a flat 助学金 (stipend) with its own tiny
workflow, proof kinds and details, and an apply page of its own. Nothing in
services/applications knows it; it is registered by a fixture and served by ``urls`` below."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_noop

from config import urls as project_urls
from services.applications.engine import Role, Workflow, step
from services.applications.models import Program
from services.applications.registry import ProgramType
from services.applications.services import application_create
from services.applications.workflow import money_paid, proofs_present, reserve_money
from services.members.selectors import member_of

KIND = "test_stipend"


class StipendStatus(TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待区总审批"
    GRANTED = "granted", "已核准助学金"
    DECLINED = "declined", "不予发放"
    WITHDRAWN = "withdrawn", "已撤回"
    PAID = "paid", "助学金已到账"


S, R = StipendStatus, Role

WORKFLOW = Workflow(
    name="test_stipend",
    label="助学金（一级审批）",
    statuses=StipendStatus,
    initial=S.DRAFT,
    editable=frozenset({S.DRAFT}),
    committed=frozenset({S.GRANTED, S.PAID}),
    final=frozenset({S.DECLINED, S.WITHDRAWN, S.PAID}),
    steps=(
        step("submit", S.DRAFT, S.SUBMITTED, [R.APPLICANT], "提交",
             gettext_noop("助学金申请 %(ref)s 已提交。"), guards=[proofs_present]),
        step("withdraw", [S.DRAFT, S.SUBMITTED], S.WITHDRAWN, [R.APPLICANT], "撤回"),
        step("grant", S.SUBMITTED, S.GRANTED, [R.DISTRICT_APPROVER], "核准助学金",
             gettext_noop("助学金 %(ref)s 已核准 %(amount)s 元。"), takes_amount=True,
             effects=[reserve_money]),
        step("decline", S.SUBMITTED, S.DECLINED, [R.DISTRICT_APPROVER], "不予发放",
             gettext_noop("助学金 %(ref)s 不予发放：%(note)s"), note_required=True),
        step("pay", S.GRANTED, S.PAID, [R.FINANCE], "到账", gettext_noop("助学金 %(ref)s 已到账。"),
             guards=[money_paid], automatic=True),
    ),
)  # fmt: skip


def validate(params):
    try:
        amount = Decimal(str(params.get("amount")))
    except Exception as error:
        raise ValidationError("amount 应为金额。") from error
    if amount <= 0:
        raise ValidationError("amount 应大于 0。")
    return {"amount": str(amount)}


TYPE = ProgramType(
    kind=KIND,
    label="助学金（测试）",
    workflow=WORKFLOW,
    apply_url_name="test_stipend_apply",
    edit_url_name="test_stipend_apply",
    proof_kinds={"photo": "本人照片", "letter": "推荐信"},
    validate_params=validate,
    describe=lambda program: f"每次 {program.rule_params['amount']} 元",
    details=lambda application: [("用途", application.amount_reason)],
    one_per_batch=False,
)


def apply(request, pk):
    program = get_object_or_404(Program, pk=pk, kind=KIND)
    application = application_create(
        program=program, applicant=member_of(request.user),
        requested_amount=Decimal(program.rule_params["amount"]),
        reason=request.POST.get("purpose", ""), actor=request.user,
    )  # fmt: skip
    return redirect("applications:detail", pk=application.pk)


urlpatterns = [
    path("stipend/<int:pk>/apply/", apply, name="test_stipend_apply"),
    *project_urls.urlpatterns,
]
handler404 = project_urls.handler404
