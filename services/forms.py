"""Form fields shared by every app."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

# Plain yuan: digits, an optional decimal point with at most two places, thousands commas.
AMOUNT = re.compile(r"^\d{1,3}(,\d{3})*(\.\d{1,2})?$|^\d+(\.\d{1,2})?$")


class AmountField(forms.DecimalField):
    """An amount in 元 as people write it ("6800", "6,800.50", full-width digits), never in
    scientific notation ("1e5") or with more than two decimal places."""

    default_error_messages = {
        "invalid": _("请填写金额数字，例如 6800 或 6800.50（最多两位小数）。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.widget.attrs.pop("step", None)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("，", ",")
        if not AMOUNT.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs
