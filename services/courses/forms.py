from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from services.courses.models import Category
from services.forms import ContentSelect
from services.members.models import Street


class CatalogueFilter(forms.Form):
    """The catalogue's filters; a bad value of one filter is ignored (never an error page),
    the others still apply."""

    street = forms.ModelChoiceField(
        label=_("街道"), queryset=Street.objects.all(), required=False, empty_label=_("全部街道"),
        widget=ContentSelect,
    )  # fmt: skip
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *Category.choices], required=False
    )
    month = forms.RegexField(
        label=_("月份"), regex=r"^20\d\d-(0[1-9]|1[0-2])$", required=False, max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )  # fmt: skip
    places_left = forms.BooleanField(label=_("只看还有名额的"), required=False)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data keeps the filters that were valid
        data = self.cleaned_data
        month = None
        if data.get("month"):
            year, number = data["month"].split("-")
            month = date(int(year), int(number), 1)
        return {
            "street": data.get("street"),
            "category": data.get("category") or "",
            "month": month,
            "places_left": bool(data.get("places_left")),
        }
