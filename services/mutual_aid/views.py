"""The member's side of mutual aid: the plans covering them (我的医疗互助) and filing a claim.

The claim page shows whether the member may claim and why not before any form; 计算给付金额
shows the benefit the plan's rules give, line by line, and what is left of the yearly cap;
then a draft is saved and the member goes on to upload the proofs and submit, on the shared
application pages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from services.applications.models import Application
from services.forms import add_errors
from services.members.selectors import member_of
from services.mutual_aid import selectors, services
from services.mutual_aid.forms import ClaimForm
from services.mutual_aid.models import Plan


def _member(request):
    member = member_of(request.user)
    if member is None:
        raise Http404
    return member


@never_cache
def mine(request):
    member = _member(request)
    plans = list(selectors.plans_of(member))
    for plan in plans:
        plan.left = selectors.yearly_left(member=member, plan=plan)
        plan.can_claim = services.claim_can_file(member=member, plan=plan)
    claims = (
        Application.objects.filter(applicant=member, program__kind="mutual_aid")
        .select_related("program")
        .order_by("-created_at")
    )
    return render(request, "mutual_aid/mine.html", {"plans": plans, "claims": claims})


@never_cache
@sensitive_post_parameters("bank_card", "diagnosis")
def claim(request, pk: int):
    plan = get_object_or_404(Plan.objects.select_related("program"), program__pk=pk)
    member = member_of(request.user)
    if member is None:
        messages.info(request, _("请用职工账号登录后申请理赔。"))
        return redirect("applications:program", pk=pk)
    decision = services.claim_can_file(member=member, plan=plan)
    form = ClaimForm(
        request.POST if decision and request.method == "POST" else None, plan=plan,
        card_on_file=member.masked_bank_card,
    )  # fmt: skip
    preview = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if "save" in request.POST:
            try:
                application = services.claim_file(
                    member=member, plan=plan, data=data, actor=request.user
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("理赔草稿已保存。请上传结算单、出院记录和发票，然后提交。")
                )
                return redirect("applications:detail", pk=application.pk)
        else:
            problems = services.check_claim(plan=plan, data=data, member=member)
            for field, reason in problems:
                form.add_error(field, reason)
            if not problems:
                preview = services.claim_benefit(plan=plan, member=member, data=data)
    context = {
        "plan": plan, "program": plan.program, "form": form, "decision": decision,
        "preview": preview, "left": selectors.yearly_left(member=member, plan=plan),
    }  # fmt: skip
    return render(request, "mutual_aid/claim.html", context)


@never_cache
@sensitive_post_parameters("bank_card", "diagnosis")
def edit(request, pk: int):
    member = _member(request)
    application = get_object_or_404(
        Application.objects.select_related("program", "claim__plan__program").filter(
            applicant=member, program__kind="mutual_aid"
        ),
        pk=pk,
    )
    if application.status != application.workflow.initial:
        messages.info(request, _("申请已提交，不能再修改内容；需要时可以补充材料。"))
        return redirect("applications:detail", pk=pk)
    claim = application.claim
    plan = claim.plan
    initial = {f: getattr(claim, f) for f in services.DETAIL_FIELDS}
    initial["invoices"] = "\n".join(i.number for i in claim.invoices.all())
    form = ClaimForm(
        request.POST or None, initial=initial, plan=plan, card_on_file=member.masked_bank_card
    )
    preview = None
    if form.is_bound and form.is_valid():
        if "save" in request.POST:
            try:
                services.claim_update(
                    application=application, data=form.cleaned_data, actor=request.user
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("理赔草稿已更新。"))
                return redirect("applications:detail", pk=pk)
        else:
            problems = services.check_claim(plan=plan, data=form.cleaned_data, member=member)
            for field, reason in problems:
                form.add_error(field, reason)
            if not problems:
                preview = services.claim_benefit(plan=plan, member=member, data=form.cleaned_data)
    context = {
        "plan": plan, "program": plan.program, "form": form, "decision": None,
        "preview": preview, "application": application,
        "left": selectors.yearly_left(member=member, plan=plan),
    }  # fmt: skip
    return render(request, "mutual_aid/claim.html", context)
