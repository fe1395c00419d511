from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.forms import AmountField, BankCardField
from services.members.certificates import verified_certificates
from services.members.models import SkillCertificate
from services.tuition.models import StudyLevel


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
        self.widget.attrs.update({"inputmode": "numeric"})


class ApplyForm(forms.Form):
    """The program's details, and the payee card for a worker who has none on record yet. A
    card on file is changed only on its own page, with the password (money already decided
    goes to it)."""

    bank_card = BankCardField()
    social_insurance_months = TenureField()

    def __init__(self, *args, card_on_file: str = "", member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.card_on_file = card_on_file
        if card_on_file:
            del self.fields["bank_card"]
        else:
            # The card last: the program's own details come first.
            self.order_fields([*[n for n in self.fields if n != "bank_card"], "bank_card"])


class TuitionForm(ApplyForm):
    school = forms.CharField(label=_("学校"), max_length=100)
    major = forms.CharField(label=_("专业"), max_length=100)
    level = forms.ChoiceField(label=_("层次"), choices=StudyLevel.choices)
    academic_year = forms.RegexField(
        label=_("学年"),
        regex=r"^20\d\d-20\d\d$",
        max_length=9,
        error_messages={"invalid": _("请按“2026-2027”的格式填写学年。")},
    )
    tuition_paid = AmountField(label=_("实际缴纳学费（元）"), min_value=1, max_value=200000)

    def clean_academic_year(self):
        """Two consecutive years, around now: a subsidy is for this year's or last year's
        study, not one long past or far ahead."""
        value = self.cleaned_data["academic_year"]
        first, second = (int(part) for part in value.split("-"))
        if second != first + 1:
            raise forms.ValidationError(
                _("学年应为相邻的两年，例如 2026-2027。"), code="academic_year"
            )
        this_year = timezone.localdate().year
        if not this_year - 2 <= first <= this_year + 1:
            raise forms.ValidationError(
                _("学年应在 %(low)s-%(high)s 到 %(top)s-%(end)s 之间。")
                % {"low": this_year - 2, "high": this_year - 1, "top": this_year + 1,
                   "end": this_year + 2},
                code="academic_year_range",
            )  # fmt: skip
        return value


class SkillAwardForm(ApplyForm):
    """The award is for a verified certificate on the worker's record: its level, occupation
    and number come from there, and nothing is uploaded twice."""

    certificate = forms.ModelChoiceField(
        label=_("职业技能等级证书"),
        queryset=SkillCertificate.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("只能选用已核验的证书；新考取的证书请先在“我的证书”上传。"),
    )

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            self.fields["certificate"].queryset = verified_certificates(member)

    def clean(self):
        data = super().clean()
        certificate = data.get("certificate")
        if certificate is not None:
            data["level"] = certificate.level
            data["occupation"] = certificate.occupation
            data["certificate_number"] = certificate.certificate_number
        return data


def form_class_for(program):
    return TuitionForm if program.kind == "tuition" else SkillAwardForm


def initial_from(application) -> dict:
    """A draft's details as the form's starting values (the card is never sent back)."""
    details = getattr(application, "tuition", None) or getattr(application, "skill", None)
    if details is None:
        return {}
    names = [f.name for f in details._meta.fields if f.name not in {"id", "application"}]
    return {name: getattr(details, name) for name in names}
