from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import KeyFigure
from reports.sources import option_choices, source_choices


def _with_current(choices: list[tuple[str, str]], current: str) -> list[tuple[str, str]]:
    """Keep a stored value selectable even when today's records no longer offer it."""
    if current and current not in dict(choices):
        return [*choices, (current, current)]
    return choices


class KeyFigureForm(forms.ModelForm):
    source = forms.ChoiceField(label=_("数据来源"), required=False)
    source_option = forms.ChoiceField(label=_("统计范围"), required=False)

    class Meta:
        model = KeyFigure
        fields = [
            "section", "order", "label", "value", "unit", "qualifier", "is_headline",
            "source", "source_option", "source_year",
        ]  # fmt: skip
        error_messages = {
            "value": {
                "invalid": _(
                    "数值必须是数字，例如 371 或 72.351；“约”“余”等字请用“约数”一栏表示。"
                ),
                "max_digits": _("数值太大了。"),
                "max_decimal_places": _("数值最多保留 4 位小数。"),
            }
        }
        widgets = {
            "value": forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            "source_year": forms.NumberInput(attrs={"size": 5}),
        }

    # Read once per formset (``KeyFigureInline.get_formset``), not once per figure row.
    choices_now: tuple | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sources, options = self.choices_now or (source_choices(), option_choices())
        self.fields["source"].choices = _with_current(sources, self.instance.source)
        self.fields["source_option"].choices = _with_current(options, self.instance.source_option)


class TakeLiveForm(forms.Form):
    """The figures whose live value staff take as the value."""

    figures = forms.TypedMultipleChoiceField(
        label=_("采用实时数值的数字"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, readings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures"].choices = [
            (r.figure.pk, r.figure.label) for r in readings if r.live is not None
        ]
        self.fields["figures"].error_messages["required"] = _("请至少勾选一个数字。")
        # Never echo what was sent (it may be anything, of any length).
        self.fields["figures"].error_messages["invalid_choice"] = _("所选数字不在本报告中。")
