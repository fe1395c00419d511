from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from services.applications.models import Program, ProgramKind
from services.members.selectors import member_of
from services.tuition.forms import SkillAwardForm, TuitionForm
from services.tuition.services import tuition_amount, tuition_apply, tuition_can_apply


@never_cache
@sensitive_post_parameters("bank_card")
def apply(request, pk: int):
    program = get_object_or_404(Program, pk=pk)
    member = member_of(request.user)
    if member is None:
        messages.info(request, _("请用职工账号登录后申请。"))
        return redirect("applications:program", pk=pk)
    decision = tuition_can_apply(member=member, program=program)
    # Short membership can be made up by declared social-insurance months on the form.
    show_form = decision or decision.code == "tenure"
    form_class = TuitionForm if program.kind == ProgramKind.TUITION else SkillAwardForm
    form = form_class(request.POST or None)
    preview = None
    if show_form and request.method == "POST" and form.is_valid():
        decision = tuition_can_apply(
            member=member,
            program=program,
            social_insurance_months=form.cleaned_data.get("social_insurance_months"),
        )
        if not decision:
            form.add_error(
                "social_insurance_months" if decision.code == "tenure" else None, decision.reason
            )
        else:
            preview = tuition_amount(program=program, data=form.cleaned_data)
        if decision and "save" in request.POST:
            try:
                application = tuition_apply(member=member, program=program, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("草稿已保存。请上传材料，然后提交。"))
                return redirect("applications:detail", pk=application.pk)
    return render(
        request,
        "tuition/apply.html",
        {
            "program": program,
            "form": form,
            "decision": decision,
            "show_form": show_form,
            "preview": preview,
        },
    )
