"""Money is Decimal 元 with two places, shown with thousands separators: 3,000.00."""

from decimal import Decimal, InvalidOperation

FEN = Decimal("0.01")


def yuan(value) -> str:
    """3000 -> "3,000.00"; empty for no amount."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)).quantize(FEN):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)
