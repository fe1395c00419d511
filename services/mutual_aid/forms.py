import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from services.forms import AmountField, BankCardField
from services.mutual_aid.benefit import parse_rules
from services.mutual_aid.models import ClaimKind, HospitalLevel

INVOICE = re.compile(r"[A-Z0-9-]{4,40}")
MAX_INVOICES = 20


class InvoiceNumbersField(forms.CharField):
    """Invoice numbers as printed, one per line (or separated by commas or spaces)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("发票号码"), max_length=1000,
            help_text=_("每张发票一行，或用逗号、空格隔开；一张发票只能理赔一次。"),
            widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}), **kwargs,
        )  # fmt: skip

    def clean(self, value):
        text = unicodedata.normalize("NFKC", super().clean(value) or "").upper()
        numbers = [n for n in re.split(r"[\s,，、;；]+", text) if n]
        if not numbers:
            raise ValidationError(_("请至少填写一张发票的号码。"))
        if len(numbers) > MAX_INVOICES:
            raise ValidationError(_("一次理赔最多 %(n)s 张发票。") % {"n": MAX_INVOICES})
        bad = [n for n in numbers if not INVOICE.fullmatch(n)]
        if bad:
            raise ValidationError(
                _("发票号码“%(number)s”不对：应为 4 到 40 位字母、数字或“-”。")
                % {"number": bad[0][:40]}
            )
        if len(set(numbers)) != len(numbers):
            raise ValidationError(_("同一张发票填了两次。"))
        return numbers


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("理赔类型"), choices=ClaimKind.choices)
    hospital = forms.RegexField(
        label=_("医院"), max_length=100, regex=r"^[^<>=\x00-\x1f]+$",
        error_messages={"invalid": _("医院名称请按发票上的填写，不能含有 < > = 等符号。")},
    )  # fmt: skip
    hospital_level = forms.ChoiceField(
        label=_("医院级别"), choices=[("", _("请选择")), *HospitalLevel.choices]
    )
    admitted_on = forms.DateField(
        label=_("入院（就诊）日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    discharged_on = forms.DateField(
        label=_("出院日期"), required=False, help_text=_("住院理赔必填。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    illness = forms.ChoiceField(label=_("病种"), required=False)
    diagnosis = forms.CharField(
        label=_("诊断"), max_length=200, required=False,
        help_text=_("按出院记录或病历填写。只有您本人和审核人员能看到。"),
    )  # fmt: skip
    total_cost = AmountField(label=_("医疗费用总额（元）"), min_value=0, max_value=9_999_999)
    insurance_paid = AmountField(label=_("基本医保已支付（元）"), min_value=0, max_value=9_999_999)
    eligible_cost = AmountField(
        label=_("合规自付费用（元）"), min_value=0, max_value=9_999_999,
        help_text=_("医保结算单上医保目录内、个人自付的部分。"),
    )  # fmt: skip
    invoices = InvoiceNumbersField()
    bank_card = BankCardField()

    def __init__(self, *args, plan, card_on_file: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.card_on_file = card_on_file
        if card_on_file:
            del self.fields["bank_card"]
        else:
            self.fields["bank_card"].help_text = _("本人名下的银行卡（借记卡），给付发放到这张卡。")
        rules = parse_rules(plan.program.rule_params or {}, yearly_cap=plan.program.per_person_cap)
        if rules.lump_sums:
            self.fields["illness"].choices = [
                ("", _("不是病种定额理赔")),
                *((k, k) for k in rules.lump_sums),
            ]
        else:
            del self.fields["illness"]
            self.fields["kind"].choices = [
                c for c in ClaimKind.choices if c[0] != ClaimKind.ILLNESS
            ]
        for name in ("total_cost", "insurance_paid", "eligible_cost"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class CorrectionForm(forms.Form):
    """Reviewing staff correct the declared amounts from the settlement slip."""

    total_cost = AmountField(label=_("医疗费用总额（元）"), min_value=0, max_value=9_999_999)
    insurance_paid = AmountField(label=_("基本医保已支付（元）"), min_value=0, max_value=9_999_999)
    eligible_cost = AmountField(label=_("合规自付费用（元）"), min_value=0, max_value=9_999_999)
    note = forms.CharField(
        label=_("更正原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("申请人会看到，例如“按结算单更正合规自付金额”。"),
    )  # fmt: skip


class RosterUploadForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("互助计划"), queryset=None, empty_label=_("请选择"))
    enterprise = forms.ModelChoiceField(label=_("参保单位"), queryset=None, empty_label=_("请选择"))
    starts_on = forms.DateField(
        label=_("保障开始日期"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("不填为导入当天；单位已为全年缴费的，可填计划的保障开始日期。"),
    )  # fmt: skip
    file = forms.FileField(
        label=_("名单文件（Excel）"),
        help_text=_("第一个工作表，表头含“姓名”“身份证号”“手机号”三列。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls"}),
    )

    def __init__(self, *args, plans, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["enterprise"].queryset = enterprises
