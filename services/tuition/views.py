"""Applying to a tuition or skill program, and changing the draft before it is submitted.

The worker sees whether they may apply, and why not, before any form; presses 计算补助金额
to see what the rule gives and why; then saves a draft and goes on to upload proofs.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from services.applications.models import Application, Program
from services.members.selectors import member_of
from services.tuition.forms import form_class_for, initial_from
from services.tuition.services import (
    tuition_amount,
    tuition_apply,
    tuition_can_apply,
    tuition_update,
)

KINDS = ("tuition", "skill_award")
FIELD_OF_ERROR = {"bank_card_required": "bank_card", "certificate_used": "certificate"}


@never_cache
@sensitive_post_parameters("bank_card")
def apply(request, pk: int):
    program = get_object_or_404(Program, pk=pk, kind__in=KINDS)
    member = member_of(request.user)
    if member is None:
        messages.info(request, _("请用职工账号登录后申请。"))
        return redirect("applications:program", pk=pk)
    decision = tuition_can_apply(member=member, program=program)
    # Short membership can be made up by declared social-insurance months on the form.
    show_form = bool(decision) or decision.code == "tenure"
    form = form_class_for(program)(
        request.POST if show_form and request.method == "POST" else None,
        card_on_file=member.masked_bank_card,
        member=member,
    )
    preview = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        decision = tuition_can_apply(
            member=member, program=program,
            social_insurance_months=data.get("social_insurance_months"),
        )  # fmt: skip
        if not decision:
            field = "social_insurance_months" if decision.code == "tenure" else None
            form.add_error(field, decision.reason)
        elif "save" in request.POST:
            try:
                application = tuition_apply(
                    member=member, program=program, data=data, actor=request.user
                )
            except ValidationError as error:
                form.add_error(FIELD_OF_ERROR.get(error.code), error)
            else:
                if program.kind == "skill_award":
                    messages.success(
                        request, _("草稿已保存。证书已从您的档案中选用，请核对后提交。")
                    )
                else:
                    messages.success(request, _("草稿已保存。请上传材料，然后提交。"))
                return redirect("applications:detail", pk=application.pk)
        else:
            preview = tuition_amount(program=program, data=data)
    return render(
        request,
        "tuition/apply.html",
        {
            "program": program,
            "form": form,
            "decision": decision,
            "show_form": show_form,
            "preview": preview,
        },  # fmt: skip
    )


@never_cache
@sensitive_post_parameters("bank_card")
def edit(request, pk: int):
    member = member_of(request.user)
    if member is None:
        raise Http404
    application = get_object_or_404(
        Application.objects.select_related("program").filter(
            applicant=member, program__kind__in=KINDS
        ),
        pk=pk,
    )
    if application.status != application.workflow.initial:
        messages.info(request, _("申请已提交，不能再修改内容；需要时可以补充材料。"))
        return redirect("applications:detail", pk=pk)
    program = application.program
    form = form_class_for(program)(
        request.POST or None, initial=initial_from(application),
        card_on_file=member.masked_bank_card, member=member,
    )  # fmt: skip
    preview = None
    if form.is_bound and form.is_valid():
        if "save" in request.POST:
            try:
                tuition_update(application=application, data=form.cleaned_data, actor=request.user)
            except ValidationError as error:
                form.add_error(FIELD_OF_ERROR.get(error.code), error)
            else:
                messages.success(request, _("草稿已更新。"))
                return redirect("applications:detail", pk=pk)
        else:
            preview = tuition_amount(program=program, data=form.cleaned_data)
    return render(
        request,
        "tuition/apply.html",
        {
            "program": program,
            "form": form,
            "decision": None,
            "show_form": True,
            "preview": preview,
            "application": application,
        },  # fmt: skip
    )
