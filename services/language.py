"""Marking Chinese content on pages in another language (WCAG 3.1.2, language of parts).

Staff and workers write in Chinese (program names, notes, names, the report) and what they
wrote stays Chinese on the English pages. Such content must sit in an element with
``lang="zh-Hans"`` so a screen reader reads it in a Chinese voice. On a Chinese page nothing
is added.
"""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.translation import get_language

CONTENT_LANGUAGE = "zh-Hans"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def content_is_foreign() -> bool:
    """True when the page is in another language than the content (Chinese)."""
    return not (get_language() or "zh-hans").lower().startswith("zh")


def zh(value):
    """Chinese content inside a translated page, in a ``<span lang>`` on a foreign page."""
    if not content_is_foreign():
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', CONTENT_LANGUAGE, value)


def zh_if_chinese(value):
    """As ``zh``, for content that may or may not be Chinese (a name in Latin letters)."""
    if value is None or not CJK.search(str(value)):
        return conditional_escape(value if value is not None else "")
    return zh(value)


def zh_lang():
    """` lang="zh-Hans"` for an element holding only Chinese content, on a foreign page."""
    return format_html(' lang="{}"', CONTENT_LANGUAGE) if content_is_foreign() else ""
