"""The worker's pages: registration, "我的" (/me/), consent, mobile number, joining the union.

Every page here shows personal data and is sent with Cache-Control: no-store.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from services.applications.engine import history
from services.members import selectors, services
from services.members.forms import (
    JoinRequestForm,
    MobileChangeForm,
    RegistrationForm,
    ResetConfirmForm,
    ResetRequestForm,
)
from services.members.middleware import SESSION_KEY
from services.members.models import Enterprise

SENSITIVE = ("password1", "password2", "password", "id_number", "code", "mobile", "new_mobile")


def _member_or_404(request):
    member = selectors.member_of(request.user)
    if member is None:
        raise Http404
    return member


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
def register(request):
    if request.user.is_authenticated:
        return redirect("members:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = form.save()
        except services.AlreadyRegistered as error:
            form.add_error(None, error)
        else:
            login(request, member.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎！"))
            return redirect("members:profile")
    return render(
        request,
        "registration/register.html",
        {"form": form, "enterprises": Enterprise.objects.values_list("name", flat=True)},
    )


@login_not_required
def privacy_notice(request):
    return render(request, "members/privacy_notice.html")


@never_cache
def profile(request):
    member = _member_or_404(request)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "join_requests": member.join_requests.select_related("grassroots_union"),
            "can_join": services.join_request_can_submit(member=member),
        },
    )


@never_cache
def consents(request):
    _member_or_404(request)
    return render(
        request,
        "members/consents.html",
        {"consents": request.user.consents.select_related("recorded_by")},
    )


@never_cache
def consent_renew(request):
    _member_or_404(request)
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    if request.method == "POST":
        if request.POST.get("consent") == "on":
            services.consent_grant(user=request.user)
            request.session.pop(SESSION_KEY, None)
            return redirect(next_url or "members:profile")
        messages.error(request, _("必须单独勾选同意，才能继续使用服务。"))
    return render(request, "members/consent_renew.html", {"next": next_url})


@require_POST
def consent_withdraw(request):
    _member_or_404(request)
    services.consent_withdraw(user=request.user)
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("您已撤回同意。继续使用服务前，需要重新同意。"))
    return redirect("members:consents")


@never_cache
@sensitive_post_parameters(*SENSITIVE)
def mobile_change(request):
    member = _member_or_404(request)
    form = MobileChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = services.member_change_mobile(
            member=member,
            password=form.cleaned_data["password"],
            new_mobile=form.cleaned_data["new_mobile"],
        )
        if decision:
            messages.success(request, _("手机号已更换，以后请用新手机号登录。"))
            return redirect("members:profile")
        form.add_error("password" if decision.code == "password" else "new_mobile", decision.reason)
    return render(request, "members/mobile_change.html", {"form": form})


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
def password_reset_request(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.sms_code_send(mobile=form.cleaned_data["mobile"])
        request.session["reset_mobile"] = form.cleaned_data["mobile"]
        messages.info(request, _("如果该手机号已注册，验证码已经发出，10分钟内有效。"))
        return redirect("password_reset_confirm")
    return render(request, "registration/password_reset_request.html", {"form": form})


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
def password_reset_confirm(request):
    form = ResetConfirmForm(
        request.POST or None, initial={"mobile": request.session.get("reset_mobile", "")}
    )
    if request.method == "POST" and form.is_valid():
        decision = services.password_reset_with_code(
            mobile=form.cleaned_data["mobile"],
            code=form.cleaned_data["code"],
            new_password=form.cleaned_data["password1"],
        )
        if decision:
            request.session.pop("reset_mobile", None)
            messages.success(request, _("密码已重设，请用新密码登录。"))
            return redirect("login")
        form.add_error("code", decision.reason)
    return render(request, "registration/password_reset_confirm.html", {"form": form})


@never_cache
def join_create(request):
    member = _member_or_404(request)
    decision = services.join_request_can_submit(member=member)
    if not decision:
        messages.info(request, decision.reason)
        return redirect("members:profile")
    form = JoinRequestForm(
        request.POST or None,
        initial={
            "street": member.street_id,
            "employment_form": member.employment_form,
            "employer_text": member.employer_display,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        join_request = services.join_request_submit(
            member=member,
            actor=request.user,
            street=data["street"],
            grassroots_union=data["grassroots_union"],
            employment_form=data["employment_form"],
            employer_text=data["employer_text"],
        )
        messages.success(request, _("入会申请已提交，街道工会审核后会短信通知您。"))
        return redirect("members:join_detail", pk=join_request.pk)
    return render(request, "members/join_form.html", {"form": form})


@never_cache
def join_detail(request, pk: int):
    member = _member_or_404(request)
    join_request = get_object_or_404(member.join_requests.select_related("street"), pk=pk)
    return render(
        request,
        "members/join_detail.html",
        {"join_request": join_request, "events": history(join_request)},
    )


@require_POST
def join_withdraw(request, pk: int):
    member = _member_or_404(request)
    join_request = get_object_or_404(member.join_requests, pk=pk)
    decision = services.join_request_withdraw(join_request=join_request, actor=request.user)
    if decision:
        messages.info(request, _("入会申请已撤回。"))
    else:
        messages.error(request, decision.reason)
    return redirect("members:join_detail", pk=pk)
