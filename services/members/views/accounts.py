"""Registering, logging in (with the password or a texted code), resetting the password and
moving the account to a new mobile number.

None of these pages tells whether a number or an ID number is registered before the visitor
has proved the number is theirs with a texted code: asking for a code always says the same
thing. Every page that sends a text, registers or resets is limited per address
(``PORTAL_SMS_PER_ADDRESS_HOUR``, django-ratelimit); each number gets at most 5 texts an hour
and each code 5 tries (``codes.py``). Personal data never stays in error reports.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_ratelimit.core import is_ratelimited

from config.pagecache import form_page
from services.members import codes, services
from services.members.forms import (
    BankCardChangeForm,
    CodeForm,
    MobileChangeForm,
    MobileForm,
    PortalAuthenticationForm,
    RegistrationForm,
    ResetConfirmForm,
)
from services.members.models import Enterprise, Member
from services.members.pii import mask_mobile
from services.members.selectors import member_of

SENSITIVE = ("password1", "password2", "password", "id_number", "code", "mobile", "new_mobile")
BACKEND = "django.contrib.auth.backends.ModelBackend"


def too_many(request, group: str) -> bool:
    """Counts one more request from this address to ``group``; True over the hourly limit."""
    rate = f"{settings.PORTAL_SMS_PER_ADDRESS_HOUR}/h"
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def _slow_down(request, template, context):
    messages.error(request, _("这个网络操作太频繁，请一小时后再试。"))
    return render(request, template, context, status=429)


def _code_sent(request, mobile: str) -> None:
    messages.info(
        request,
        _("验证码短信已发往 %(mobile)s，10分钟内有效。没收到可以稍后重新获取。")
        % {"mobile": mask_mobile(mobile)},
    )


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
@form_page()
def register(request):
    """Step 1: the mobile number gets a code. Step 2: the code and the worker's details."""
    if request.user.is_authenticated:
        return redirect("members:profile")
    if "restart" in request.GET:
        request.session.pop("register_mobile", None)
        return redirect("register")
    template = "registration/register.html"
    enterprises = Enterprise.objects.values_list("name", flat=True)
    mobile = request.session.get("register_mobile")
    if request.method == "POST" and "send_code" in request.POST:
        start = MobileForm(request.POST)
        if start.is_valid():
            if too_many(request, "sms"):
                return _slow_down(request, template, {"start": start})
            mobile = start.cleaned_data["mobile"]
            codes.sms_code_send(mobile=mobile, purpose=codes.Purpose.REGISTER)
            request.session["register_mobile"] = mobile
            _code_sent(request, mobile)
            return redirect("register")
        return render(request, template, {"start": start})
    if mobile is None:
        return render(request, template, {"start": MobileForm()})
    form = RegistrationForm(request.POST or None)
    context = {"form": form, "mobile": mask_mobile(mobile), "enterprises": enterprises}
    if request.method == "POST" and form.is_valid():
        if too_many(request, "register"):
            return _slow_down(request, template, context)
        # The code stays good if registering fails (an ID number already registered), so
        # the worker can correct the form without asking for another.
        checked = codes.sms_code_check(
            mobile=mobile, purpose=codes.Purpose.REGISTER, code=form.cleaned_data["code"],
            use=False,
        )  # fmt: skip
        if not checked:
            form.add_error("code", checked.reason)
        else:
            try:
                member = form.save(mobile=mobile)
            except services.AlreadyRegistered as error:
                form.add_error("id_number" if error.code == "id_taken" else None, error)
            else:
                codes.sms_code_use(mobile=mobile, purpose=codes.Purpose.REGISTER)
                request.session.pop("register_mobile", None)
                login(request, member.user, backend=BACKEND)
                messages.success(request, _("注册成功，欢迎！"))
                return redirect("members:profile")
    return render(request, template, context)


def _already_in(request):
    """Someone signed in who opens a log-in page goes where they work."""
    return redirect("admin:index" if request.user.is_staff else "members:profile")


@method_decorator(sensitive_post_parameters(*SENSITIVE), name="dispatch")
@method_decorator(form_page(), name="get")
class PortalLoginView(LoginView):
    """The mobile number and password; after many failures for the number from anywhere, a
    texted code as well ("获取验证码" on the same page)."""

    form_class = PortalAuthenticationForm

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return _already_in(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "send_code" not in request.POST:
            return super().post(request, *args, **kwargs)
        start = MobileForm({"mobile": request.POST.get("username", "")})
        form = self.get_form()
        form.ask_for_code()
        if not start.is_valid():
            form.add_error("username", start.errors["mobile"][0])
        elif too_many(request, "sms"):
            form.add_error(None, _("这个网络操作太频繁，请一小时后再试。"))
        else:
            codes.sms_code_send(mobile=start.cleaned_data["mobile"], purpose=codes.Purpose.LOGIN)
            _code_sent(request, start.cleaned_data["mobile"])
        return self.render_to_response(self.get_context_data(form=form))


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
@form_page()
def login_with_code(request):
    """Log in with a texted code instead of the password, as Chinese service apps do."""
    if request.user.is_authenticated:
        return _already_in(request)
    template = "registration/login_code.html"
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    mobile = request.session.get("login_mobile")
    if request.method == "POST" and "send_code" in request.POST:
        start = MobileForm(request.POST)
        if start.is_valid():
            if too_many(request, "sms"):
                return _slow_down(request, template, {"start": start, "next": next_url})
            mobile = start.cleaned_data["mobile"]
            codes.sms_code_send(mobile=mobile, purpose=codes.Purpose.LOGIN)
            request.session["login_mobile"] = mobile
            _code_sent(request, mobile)
            return redirect(f"{request.path}?next={next_url}" if next_url else request.path)
        return render(request, template, {"start": start, "next": next_url})
    if mobile is None or "restart" in request.GET:
        request.session.pop("login_mobile", None)
        return render(request, template, {"start": MobileForm(), "next": next_url})
    form = CodeForm(request.POST or None)
    context = {"form": form, "mobile": mask_mobile(mobile), "next": next_url}
    if request.method == "POST" and form.is_valid():
        checked = codes.sms_code_check(
            mobile=mobile, purpose=codes.Purpose.LOGIN, code=form.cleaned_data["code"]
        )
        member = Member.objects.select_related("user").filter(mobile=mobile).first()
        if not checked or member is None or not member.user.is_active:
            form.add_error("code", _("验证码不正确或已过期，请重新获取。"))
        else:
            request.session.pop("login_mobile", None)
            login(request, member.user, backend=BACKEND)
            services.lockouts_clear(mobile)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(request, template, context)


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
@form_page()
def password_reset_request(request):
    if request.user.is_authenticated:
        return _already_in(request)
    template = "registration/password_reset_request.html"
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if too_many(request, "sms"):
            return _slow_down(request, template, {"form": form})
        mobile = form.cleaned_data["mobile"]
        codes.sms_code_send(mobile=mobile, purpose=codes.Purpose.PASSWORD_RESET)
        request.session["reset_mobile"] = mobile
        messages.info(request, _("如果该手机号已注册，验证码已经发出，10分钟内有效。"))
        return redirect("password_reset_confirm")
    return render(request, template, {"form": form})


@login_not_required
@never_cache
@sensitive_post_parameters(*SENSITIVE)
def password_reset_confirm(request):
    template = "registration/password_reset_confirm.html"
    form = ResetConfirmForm(
        request.POST or None, initial={"mobile": request.session.get("reset_mobile", "")}
    )
    if request.method == "POST" and form.is_valid():
        if too_many(request, "reset"):
            return _slow_down(request, template, {"form": form})
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
    return render(request, template, {"form": form})


@never_cache
@sensitive_post_parameters(*SENSITIVE)
def mobile_change(request):
    """The new number gets a code; the code and the password move the account to it."""
    member = member_of(request.user)
    if member is None:
        raise Http404
    template = "members/mobile_change.html"
    form = MobileChangeForm(request.POST or None, sending="send_code" in request.POST)
    if request.method == "POST" and "send_code" in request.POST:
        if form.is_valid():
            if too_many(request, "sms"):
                return _slow_down(request, template, {"form": form})
            codes.sms_code_send(
                mobile=form.cleaned_data["new_mobile"], purpose=codes.Purpose.MOBILE_CHANGE
            )
            _code_sent(request, form.cleaned_data["new_mobile"])
            form = MobileChangeForm(initial={"new_mobile": form.cleaned_data["new_mobile"]})
        return render(request, template, {"form": form})
    if request.method == "POST" and form.is_valid():
        decision = services.member_change_mobile(
            member=member,
            actor=request.user,
            password=form.cleaned_data["password"],
            new_mobile=form.cleaned_data["new_mobile"],
            code=form.cleaned_data["code"],
        )
        if decision:
            messages.success(request, _("手机号已更换，以后请用新手机号登录。"))
            return redirect("members:profile")
        field = {"password": "password", "bad_code": "code"}.get(decision.code, "new_mobile")
        form.add_error(field, decision.reason)
    return render(request, template, {"form": form})


@never_cache
@sensitive_post_parameters("card", "password")
def bank_card_change(request):
    """A new payee card, with the password; the worker's phone is told."""
    member = member_of(request.user)
    if member is None:
        raise Http404
    form = BankCardChangeForm(request.POST or None)
    first = not member.bank_card_last4
    if request.method == "POST" and form.is_valid():
        decision = services.member_change_bank_card(
            member=member, actor=request.user, password=form.cleaned_data["password"],
            card=form.cleaned_data["card"],
        )  # fmt: skip
        if decision:
            messages.success(request, _("收款银行卡已登记。") if first else _("收款银行卡已更换。"))
            return redirect("members:profile")
        form.add_error("password" if decision.code == "password" else "card", decision.reason)
    return render(request, "members/bank_card.html", {"form": form, "member": member})
