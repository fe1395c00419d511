"""Helpers shared by every export that a spreadsheet program will open."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """Stop a cell that starts like a formula from running as one (CSV/formula injection).

    Numbers are left alone; text starting with = + - @ (or a tab or carriage return) gets a
    leading apostrophe, which spreadsheet programs show as plain text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
