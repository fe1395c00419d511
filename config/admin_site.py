"""The staff admin: a password and a TOTP code from the staff member's registered device.

django-otp ships no Chinese, so the second-factor login is the portal's own page and its
messages are the portal's own strings (translated into English like every other); the code
field brings up the numeric keyboard and offers the one-time code a phone received.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Staff with a single device need not pick it from a list: it is the one to verify."""

    otp_token = forms.CharField(
        label=_("动态验证码"),
        required=False,
        help_text=_("身份验证器应用（TOTP）上显示的6位数字。"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "maxlength": 6,
            }
        ),
    )
    otp_error_messages = {
        "token_required": _("请输入身份验证器上的6位动态验证码。"),
        "challenge_exception": _("无法生成验证请求：{0}"),
        "not_interactive": _("所选设备不支持发送验证请求。"),
        "challenge_message": _("验证请求：{0}"),
        "invalid_token": _("动态验证码不正确，请核对后重新输入（每个验证码只能用一次）。"),
        "n_failed_attempts": _("动态验证码已连续输错 %(failure_count)d 次，验证暂停，请稍后再试。"),
        "verification_not_allowed": _("验证暂时不可用，请稍后再试。"),
        "device_required": _("请选择验证设备。"),
    }
    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确，或者该账号不是工作人员账号。"),
    }

    def clean_otp(self, user):
        """A wrong or refused second factor is in the audit log (who, from where)."""
        try:
            return super().clean_otp(user)
        except forms.ValidationError as error:
            if user is not None and error.code != "token_required":
                from services.members.audit import Action, audit_record
                from services.members.net import client_ip

                audit_record(
                    actor=user, action=Action.OTP_FAILED, subject=str(error.code or "throttled"),
                    ip_address=client_ip(self.request) if self.request else None,
                )  # fmt: skip
            raise

    def _update_form(self, user):
        """django-otp writes the password back into the page after a wrong code (so it need
        not be typed again); a password is never written into a page."""
        super()._update_form(user)
        if "password" in self.fields:
            self.fields["password"].widget.render_value = False

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device


class PortalAdminSite(OTPAdminSite):
    login_form = StaffLoginForm
    login_template = "admin/portal_login.html"
    # The sidebar redraws every app and model the staff member may see on every page (8 ms
    # of a 45 ms list at district scale); the front page lists them, the breadcrumbs lead back.
    enable_nav_sidebar = False

    def get_urls(self):
        """The admin's own pages, plus the staff pages that belong to no single model (the
        statistics page, ``/admin/statistics/``)."""
        from services.applications.admin.statistics import statistics_urls

        return [*statistics_urls(self), *super().get_urls()]
