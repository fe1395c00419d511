from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import KeyFigure


class KeyFigureForm(forms.ModelForm):
    class Meta:
        model = KeyFigure
        fields = ["section", "order", "label", "value", "unit", "qualifier", "is_headline"]
        error_messages = {
            "value": {
                "invalid": _(
                    "数值必须是数字，例如 371 或 72.351；“约”“余”等字请用“约数”一栏表示。"
                ),
                "max_digits": _("数值太大了。"),
                "max_decimal_places": _("数值最多保留 4 位小数。"),
            }
        }
        widgets = {"value": forms.TextInput(attrs={"inputmode": "decimal", "size": 10})}
