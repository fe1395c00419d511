"""Worker-facing forms. Each field is normalised and validated with a Chinese message that
says what is wrong; a form that fails saves nothing."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from services.members.models import EmploymentForm, Enterprise, GrassrootsUnion, Member, Street
from services.members.services import id_number_taken
from services.members.validators import validate_id_number, validate_mobile


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


class RegistrationForm(NewPasswordMixin, forms.Form):
    mobile = MobileField(help_text=_("以后用手机号登录。"))
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

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        if Member.objects.filter(mobile=mobile).exists():
            raise forms.ValidationError(_("该手机号已经注册，请直接登录或找回密码。"))
        return mobile

    def clean_real_name(self):
        name = self.cleaned_data["real_name"].strip()
        if len(name) < 2:
            raise forms.ValidationError(_("请填写与身份证一致的姓名。"))
        return name

    def clean_id_number(self):
        number = validate_id_number(self.cleaned_data["id_number"])
        if id_number_taken(number):
            raise forms.ValidationError(_("该身份证号已经注册，一个身份证号只能注册一个账号。"))
        return number

    def save(self, *, registered_by=None):
        """Register the worker through the service; AlreadyRegistered if a race lost."""
        from services.members.services import member_register

        data = self.cleaned_data
        return member_register(
            mobile=data["mobile"],
            password=data["password1"],
            real_name=data["real_name"],
            id_number=data["id_number"],
            employer=data["employer_enterprise"],
            employer_name=data["employer"],
            employment_form=data["employment_form"],
            consent=data["consent"],
            registered_by=registered_by,
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
    """Staff register a worker at the counter (代办); the worker's consent is still needed."""

    consent = forms.BooleanField(
        label=_("职工已当面阅读《个人信息处理告知书》，并单独同意处理其敏感个人信息。"),
        required=True,
        error_messages={"required": _("必须记录职工本人的单独同意。")},
    )


class PortalAuthenticationForm(AuthenticationForm):
    username = MobileField(widget=forms.TextInput(attrs={"autofocus": True}))

    def clean_username(self):
        return self.cleaned_data["username"]


class MobileChangeForm(forms.Form):
    new_mobile = MobileField(label=_("新手机号"))
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("更换手机号需要再次输入密码。"),
    )


class ResetRequestForm(forms.Form):
    mobile = MobileField()


class ResetConfirmForm(NewPasswordMixin, forms.Form):
    mobile = MobileField()
    code = forms.RegexField(
        label=_("短信验证码"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("验证码是6位数字。")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1, password2 = password_fields()


class JoinRequestForm(forms.Form):
    street = forms.ModelChoiceField(
        label=_("工作所在街道"), queryset=Street.objects.all(), empty_label=_("请选择")
    )
    grassroots_union = forms.ModelChoiceField(
        label=_("申请加入的基层工会"),
        queryset=GrassrootsUnion.objects.all(),
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
