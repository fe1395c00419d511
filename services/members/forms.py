"""Worker-facing forms. Each field is normalised and validated with a Chinese message that
says what is wrong; a form that fails saves nothing."""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.forms import ContentSelect
from services.members.models import (
    EmploymentForm,
    Enterprise,
    GrassrootsUnion,
    SkillLevel,
    Street,
)
from services.members.validators import (
    validate_employer_name,
    validate_id_number,
    validate_mobile,
    validate_real_name,
)


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        return validate_mobile(super().clean(value))


class NewPasswordMixin:
    """Two password fields checked against Django's password validators."""

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("两次输入的密码不一致。"))
        if second:
            password_validation.validate_password(second, self._password_user())
        return second

    def _password_user(self):
        return None


def password_fields():
    return (
        forms.CharField(
            label=_("密码"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=_("至少8位，不能全是数字，不能太常见。"),
        ),
        forms.CharField(
            label=_("再次输入密码"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class CodeField(forms.RegexField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("短信验证码"))
        super().__init__(
            regex=r"^\d{6}$",
            max_length=6,
            error_messages={"invalid": _("验证码是6位数字。")},
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
            ),
            **kwargs,
        )

    def to_python(self, value):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", super().to_python(value) or ""))


class MobileForm(forms.Form):
    """Step one of registering or logging in with a code: the number that gets the code."""

    mobile = MobileField(help_text=_("我们会发送6位短信验证码到这个号码。"))


class CodeForm(forms.Form):
    code = CodeField()


class RegistrationForm(NewPasswordMixin, forms.Form):
    """Step two of registering: the code sent to the number, and the worker's details. Whether
    the number or the ID number is already registered is told only after the code is right."""

    code = CodeField()
    password1, password2 = password_fields()
    real_name = forms.CharField(
        label=_("真实姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        help_text=_("18位居民身份证号或港澳台居民居住证号，末位X大小写均可。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    employer = forms.CharField(
        label=_("工作单位"),
        max_length=200,
        error_messages={"required": _("请填写工作单位。")},
        help_text=_("输入单位全称，可从列表中选择；外卖、快递等平台请填写平台名称。"),
        widget=forms.TextInput(attrs={"list": "enterprise-list", "autocomplete": "organization"}),
    )
    employer_not_listed = forms.BooleanField(
        label=_("我的单位不在列表中（例如外卖、快递平台）"), required=False
    )
    employment_form = forms.ChoiceField(label=_("就业形态"), choices=EmploymentForm.choices)
    consent = forms.BooleanField(
        label=_("我已阅读《个人信息处理告知书》，单独同意区总工会处理我的身份证号等敏感个人信息。"),
        required=True,
        error_messages={"required": _("必须单独勾选同意，才能注册。")},
    )

    def clean_real_name(self):
        """As on the ID card: letters of any script, joined by ·, a space or a hyphen."""
        return validate_real_name(self.cleaned_data["real_name"])

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])

    def clean_employer(self):
        return validate_employer_name(self.cleaned_data["employer"])

    def save(self, *, mobile: str, registered_by=None, street=None):
        """Register the worker through the service; AlreadyRegistered if the number or the ID
        number is taken (told only once the code has proved the number)."""
        from services.members.services import member_register

        data = self.cleaned_data
        return member_register(
            mobile=mobile,
            password=data["password1"],
            real_name=data["real_name"],
            id_number=data["id_number"],
            employer=data["employer_enterprise"],
            employer_name=data["employer"],
            employment_form=data["employment_form"],
            consent=data["consent"],
            registered_by=registered_by,
            street=street,
        )

    def clean(self):
        data = super().clean()
        text = (data.get("employer") or "").strip()
        data["employer_enterprise"] = None
        if text:
            data["employer_enterprise"] = Enterprise.objects.filter(name=text).first()
        if text and not data["employer_enterprise"] and not data.get("employer_not_listed"):
            self.add_error(
                "employer",
                _("没有找到这个单位。请从列表中选择，或勾选“我的单位不在列表中”。"),
            )
        return data


class CounterRegistrationForm(RegistrationForm):
    """Staff register a worker at the counter (代办): the worker reads out the code texted to
    their phone, and their consent is still needed."""

    mobile = MobileField(help_text=_("职工本人的手机号，以后用它登录。"))
    field_order = ["mobile", "code"]

    consent = forms.BooleanField(
        label=_("职工已当面阅读《个人信息处理告知书》，并单独同意处理其敏感个人信息。"),
        required=True,
        error_messages={"required": _("必须记录职工本人的单独同意。")},
    )


class PortalAuthenticationForm(AuthenticationForm):
    """The mobile number and password. After many failed passwords for the number from
    anywhere, a texted code too, checked before the password so that guessing learns
    nothing; the owner is never locked out by someone else's guesses."""

    username = MobileField(widget=forms.TextInput(attrs={"autofocus": True}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("手机号或密码不正确。忘记密码可以用短信验证码登录或重设。"),
        "inactive": _("这个账号已停用。"),
    }
    code = CodeField(required=False, help_text=_("点“获取验证码”，短信会发到上面的手机号。"))

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.needs_code = False
        self._code_widget = self.fields["code"].widget
        self.fields["code"].widget = forms.HiddenInput()

    def ask_for_code(self) -> None:
        """Show the code field (the page also offers to send a code)."""
        self.needs_code = True
        self.fields["code"].widget = self._code_widget

    def clean_username(self):
        return self.cleaned_data["username"]

    def clean(self):
        from services.members import codes
        from services.members.services import login_needs_code

        mobile = self.cleaned_data.get("username")
        if mobile and login_needs_code(mobile):
            self.ask_for_code()
            code = self.cleaned_data.get("code")
            if not code:
                raise forms.ValidationError(
                    _(
                        "这个账号近期多次输错密码。为保护账号，请点“获取验证码”，填写短信验证码后再登录。"
                    ),
                    code="code_required",
                )
            checked = codes.sms_code_check(mobile=mobile, purpose=codes.Purpose.LOGIN, code=code)
            if not checked:
                self.add_error("code", checked.reason)
                raise forms.ValidationError(checked.reason, code=checked.code)
        return super().clean()


class MobileChangeForm(forms.Form):
    """The new number (a code goes to it first), then the code and the password."""

    new_mobile = MobileField(label=_("新手机号"))
    code = CodeField(help_text=_("先点“获取验证码”，验证码会发到新手机号。"))
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("更换手机号需要再次输入密码。"),
    )

    def __init__(self, *args, sending: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if sending:  # only the number is needed to send the code
            self.fields["code"].required = False
            self.fields["password"].required = False


class BankCardChangeForm(forms.Form):
    card = forms.CharField(
        label=_("新的收款银行卡号"),
        max_length=30,
        help_text=_("本人名下的银行卡（借记卡）。已核定、尚未发放的补助也会发到这张卡。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("更换收款银行卡需要再次输入密码。"),
    )


class ClosureForm(forms.Form):
    reason = forms.CharField(
        label=_("注销原因"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("我已了解注销后不能再登录，除法律要求保存的发放记录外，个人信息将被删除或匿名化"),
        error_messages={"required": _("请确认您已了解注销的后果。")},
    )


class ResetConfirmForm(NewPasswordMixin, forms.Form):
    mobile = MobileField()
    code = CodeField()
    password1, password2 = password_fields()


class JoinRequestForm(forms.Form):
    street = forms.ModelChoiceField(
        label=_("工作所在街道"), queryset=Street.objects.all(), empty_label=_("请选择"),
        widget=ContentSelect,
    )  # fmt: skip
    grassroots_union = forms.ModelChoiceField(
        label=_("申请加入的基层工会"),
        queryset=GrassrootsUnion.objects.all(),
        widget=ContentSelect,
        required=False,
        empty_label=_("请街道工会为我安排"),
        help_text=_("不确定时请选“请街道工会为我安排”。"),
    )
    employment_form = forms.ChoiceField(label=_("就业形态"), choices=EmploymentForm.choices)
    employer_text = forms.CharField(
        label=_("工作单位或平台"), max_length=200, help_text=_("例如：某某快递钱塘网点、某外卖平台")
    )
    confirm = forms.BooleanField(
        label=_("我确认以上就业信息真实，自愿加入中国工会，遵守工会章程。"),
        error_messages={"required": _("请确认就业信息并同意遵守工会章程。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Unions grouped under their street (no script needed to see which fit).
        grouped = {}
        for union in GrassrootsUnion.objects.select_related("street").order_by(
            "street__order", "name"
        ):
            grouped.setdefault(union.street.name, []).append((union.pk, union.name))
        field = self.fields["grassroots_union"]
        field.widget.choices = [("", field.empty_label), *grouped.items()]

    def clean_employer_text(self):
        return validate_employer_name(self.cleaned_data["employer_text"])

    def clean(self):
        data = super().clean()
        union, street = data.get("grassroots_union"), data.get("street")
        if union and street and union.street_id != street.pk:
            self.add_error("grassroots_union", _("这个基层工会不在所选街道。"))
        return data


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("批准入会")), ("reject", _("不批准"))],
        widget=forms.RadioSelect,
    )
    grassroots_union = forms.ModelChoiceField(
        label=_("安排到基层工会"),
        queryset=GrassrootsUnion.objects.all(),
        required=False,
        help_text=_("职工没有选择基层工会时必填。"),
    )
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不批准时必须写明原因，职工会看到。"),
    )


class CertificateForm(forms.Form):
    """A skill certificate for the worker's record, with the file that shows it."""

    level = forms.ChoiceField(label=_("技能等级"), choices=[("", _("请选择")), *SkillLevel.choices])
    occupation = forms.CharField(
        label=_("职业（工种）"), max_length=100, help_text=_("与证书上一致，例如“电工”。")
    )
    certificate_number = forms.RegexField(
        label=_("证书编号"),
        regex=r"^[A-Z0-9-]{6,50}$",
        max_length=60,
        error_messages={"invalid": _("证书编号应为 6 到 50 位字母、数字或“-”，请与证书核对。")},
    )
    issued_on = forms.DateField(
        label=_("发证日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    issuer = forms.CharField(
        label=_("发证机构"), max_length=100, help_text=_("证书上盖章的评价机构或鉴定中心。")
    )
    file = forms.FileField(
        label=_("证书照片或扫描件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF、JPG 或 PNG，不超过 %(limit)s MB。") % {
            "limit": settings.PORTAL_UPLOAD_MAX_BYTES // 1_048_576
        }

    def full_clean(self):
        # The number as printed may carry spaces, lower-case or full-width letters.
        if self.is_bound and "certificate_number" in self.data:
            self.data = self.data.copy()
            number = unicodedata.normalize("NFKC", self.data["certificate_number"])
            self.data["certificate_number"] = re.sub(r"\s+", "", number).upper()
        super().full_clean()

    def clean_issued_on(self):
        value = self.cleaned_data["issued_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("发证日期不能晚于今天。"), code="future")
        if value.year < 1994:
            raise forms.ValidationError(_("请核对发证日期。"), code="too_old")
        return value
