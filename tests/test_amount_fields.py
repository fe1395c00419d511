"""Amounts and figures are typed as people write them, never in scientific notation."""

from decimal import Decimal

import pytest

from services.forms import AmountField, PlainDecimalField


@pytest.mark.parametrize(
    ("typed", "value"),
    [("6800", "6800"), ("6,800.50", "6800.50"), ("６８００", "6800"), (" 12.5 ", "12.5")],
)
def test_amounts_as_people_write_them(typed, value):
    assert AmountField().clean(typed) == Decimal(value)


@pytest.mark.parametrize(
    "typed", ["1e5", "1E5", "-100", "12.345", "6,80", "NaN", "Infinity", "1 000"]
)
def test_anything_else_is_refused(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        AmountField().clean(typed)


def test_figures_keep_their_places():
    assert PlainDecimalField(max_digits=14, decimal_places=4).clean("72.351") == Decimal("72.351")
