import re

from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum import luhn

from services.members.validators import normalise
from services.tuition.models import SkillLevel, StudyLevel


def validate_bank_card(value: str) -> str:
    number = re.sub(r"[\s-]", "", normalise(value))
    if not number.isdigit() or not 16 <= len(number) <= 19:
        raise forms.ValidationError(_("银行卡号应为16到19位数字。"))
    if not luhn.is_valid(number):
        raise forms.ValidationError(_("银行卡号校验不通过，请核对每一位数字。"))
    return number


class BankCardField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("收款银行卡号"),
            max_length=30,
            help_text=_("本人名下的银行卡（借记卡），补助发放到这张卡。"),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **kwargs,
        )

    def clean(self, value):
        return validate_bank_card(super().clean(value))


class TenureField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("在本区缴纳社保的月数"),
            required=False,
            min_value=0,
            max_value=600,
            help_text=_("入会不满6个月的，可填写社保缴纳月数代替（需与社保记录一致）。"),
            **kwargs,
        )


class TuitionForm(forms.Form):
    school = forms.CharField(label=_("学校"), max_length=100)
    major = forms.CharField(label=_("专业"), max_length=100)
    level = forms.ChoiceField(label=_("层次"), choices=StudyLevel.choices)
    academic_year = forms.RegexField(
        label=_("学年"),
        regex=r"^20\d\d-20\d\d$",
        error_messages={"invalid": _("请按“2026-2027”的格式填写学年。")},
    )
    tuition_paid = forms.DecimalField(
        label=_("实际缴纳学费（元）"),
        min_value=1,
        max_value=200000,
        decimal_places=2,
        error_messages={"invalid": _("请填写数字金额，例如 6800 或 6800.50。")},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    bank_card = BankCardField()
    social_insurance_months = TenureField()


class SkillAwardForm(forms.Form):
    level = forms.ChoiceField(label=_("证书上的技能等级"), choices=SkillLevel.choices)
    occupation = forms.CharField(label=_("职业（工种）"), max_length=100)
    certificate_number = forms.CharField(label=_("证书编号"), max_length=50)
    bank_card = BankCardField()
    social_insurance_months = TenureField()
