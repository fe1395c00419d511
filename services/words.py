"""Joining words the way the reader's language joins them."""

from django.utils.translation import gettext


def listing(items) -> str:
    """录取通知书、学费收据 / Admission letter, Receipt."""
    return gettext("、").join(str(item) for item in items)


def clauses(items) -> str:
    """高级工 1,000.00 元；技师 2,000.00 元 / … ; …"""
    return gettext("；").join(str(item) for item in items)
