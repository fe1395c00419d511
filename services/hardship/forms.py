from django import forms
from django.utils.translation import gettext_lazy as _

from services.admin_base import StepDecisionForm
from services.forms import AmountField
from services.hardship.models import Cause, CloseReason, Tier


class HelpForm(forms.Form):
    causes = forms.MultipleChoiceField(
        label=_("困难原因"), choices=Cause.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("可以多选。"),
    )  # fmt: skip
    household_size = forms.IntegerField(label=_("家庭人口"), min_value=1, max_value=20)
    income_per_head = AmountField(
        label=_("家庭人均月收入（元）"), min_value=0, max_value=100_000,
        help_text=_("全家每月收入合计除以家庭人口。"),
    )  # fmt: skip
    situation = forms.CharField(
        label=_("家庭情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例如谁生了什么病、孩子上学的情况。只有您所在街道和区总工会的工作人员能看到。"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household_size"].widget.attrs["inputmode"] = "numeric"
        self.fields["income_per_head"].widget.attrs["inputmode"] = "decimal"


class VisitDecisionForm(StepDecisionForm):
    """The steps of a request, with what the home visit and the filing take."""

    visited_on = forms.DateField(
        label=_("入户核实日期"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    visitors = forms.CharField(label=_("核实人员"), max_length=100, required=False)
    tier = forms.ChoiceField(
        label=_("困难类别（建档时选择）"), required=False,
        choices=[("", _("请选择")), *Tier.choices],
    )  # fmt: skip


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("销档原因"), choices=[("", _("请选择")), *CloseReason.choices]
    )


class TargetsForm(forms.Form):
    street = forms.ModelChoiceField(label=_("街道"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class HouseholdVisitForm(forms.Form):
    file = forms.ModelChoiceField(label=_("慰问对象"), queryset=None, empty_label=_("请选择"))
    visited_on = forms.DateField(
        label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    visitors = forms.CharField(label=_("走访人员"), max_length=100)
    cash = AmountField(label=_("慰问金（元）"), min_value=0, max_value=100_000)
    goods = forms.CharField(label=_("慰问品"), max_length=200, required=False)
    goods_value = AmountField(
        label=_("慰问品价值（元）"), min_value=0, max_value=100_000, required=False
    )
    notes = forms.CharField(
        label=_("情况记录"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    photo = forms.FileField(
        label=_("照片"), required=False, help_text=_("JPG、PNG 或 PDF，只有工作人员能看到。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )  # fmt: skip

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].queryset = targets
        self.fields["file"].label_from_instance = lambda f: f"{f.reference} {f.member.real_name}"
        self.fields["cash"].widget.attrs["inputmode"] = "decimal"


class EnterpriseVisitForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, empty_label=_("请选择"))
    visited_on = forms.DateField(
        label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    workers_reached = forms.IntegerField(label=_("慰问职工人数"), min_value=1, max_value=100_000)
    cash_total = AmountField(label=_("慰问金合计（元）"), min_value=0, max_value=10_000_000)
    goods_value = AmountField(
        label=_("慰问品价值（元）"), min_value=0, max_value=10_000_000, required=False
    )
    notes = forms.CharField(label=_("情况记录"), max_length=500, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class OnBehalfForm(HelpForm):
    """Staff ask for help for a worker of their street, with the worker's consent recorded."""

    mobile = forms.RegexField(
        label=_("职工手机号"), regex=r"^1[3-9]\d{9}$", max_length=11,
        error_messages={"invalid": _("请填写11位手机号。")},
        help_text=_("职工在门户登记的手机号。"),
    )  # fmt: skip
    consent_recorded = forms.BooleanField(
        label=_("已取得职工本人同意（书面或当面），由我代为申请"), required=False
    )

    field_order = ["mobile", "causes", "household_size", "income_per_head", "situation",
                   "consent_recorded"]  # fmt: skip
