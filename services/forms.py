"""Form fields shared by every app."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _


class PlainDecimalField(forms.DecimalField):
    """A number as people write it ("6800", "6,800.50", "72.351", full-width digits), never in
    scientific notation ("1e5") and with no more places than the field keeps."""

    default_error_messages = {
        "invalid": _("请填写数字，例如 6800 或 72.35，不能用科学计数法。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        # Too many places is the validators' message ("at most 2 decimal places").
        self.pattern = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("，", ",")
        if text.startswith("-") and self.pattern.match(text[1:]):
            raise forms.ValidationError(_("不能是负数。"), code="min_value")
        if not self.pattern.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name in ("step", "min", "max"):
            attrs.pop(name, None)
        return attrs

    def prepare_value(self, value):
        """A figure kept with four places shows as written (40, 72.351), not 40.0000; money
        keeps its two places (6800.00)."""
        if isinstance(value, Decimal) and (self.decimal_places or 0) > 2:
            text = format(value, "f")
            return text.rstrip("0").rstrip(".") if "." in text else text
        return super().prepare_value(value)


class AmountField(PlainDecimalField):
    """An amount in 元 with at most two places."""

    default_error_messages = {
        "invalid": _("请填写金额数字，例如 6800 或 6800.50（最多两位小数）。"),
    }


class ContentSelect(forms.Select):
    """A select whose options are names staff wrote in Chinese (streets, unions): on a page in
    another language each Chinese option is marked ``lang="zh-Hans"`` (WCAG 3.1.2)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        from services.language import CJK, CONTENT_LANGUAGE, content_is_foreign

        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and content_is_foreign() and CJK.search(str(label)):
            option["attrs"]["lang"] = CONTENT_LANGUAGE
        return option


class BankCardField(forms.CharField):
    """The payee card of a worker who has none on record yet."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("收款银行卡号"),
            max_length=30,
            help_text=_("本人名下的银行卡（借记卡），补助发放到这张卡。"),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        from services.members.validators import validate_bank_card

        return validate_bank_card(value) if value else value


def add_errors(form, error) -> None:
    """A service's ``ValidationError`` on the form: a message for a field next to that field,
    anything else at the top."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)
