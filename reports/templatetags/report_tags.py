"""Marking the report's Chinese content on pages in another language (WCAG 3.1.2).

Staff write a report in Chinese and it stays Chinese on the English pages, inside an English
page (``<html lang="en">``). Whatever Chinese content such a page shows must sit in an element
with ``lang="zh-Hans"`` so that a screen reader reads it in a Chinese voice. On a Chinese
page these add nothing, and the HTML stays as it was.

    {% load report_tags %}
    <h2{% zh_lang %}>{{ section.heading }}</h2>
    {% blocktranslate with heading=section.heading|zh %}{{ heading }}：关键数字{% end… %}
"""

from django import template

from services import language

register = template.Library()

CONTENT_LANGUAGE = language.CONTENT_LANGUAGE
content_is_foreign = language.content_is_foreign


@register.simple_tag
def zh_lang():
    """` lang="zh-Hans"` for an element that holds only Chinese content; nothing on a Chinese
    page. With ``as`` it gives a value to test: ``{% zh_lang as zh_attr %}{% if zh_attr %}``."""
    return language.zh_lang()


@register.filter
def zh(value):
    """A piece of Chinese content inside a translated sentence, in a ``<span lang>`` when the
    page is in another language; escaped as usual either way."""
    return language.zh(value)


@register.filter
def plain_number(value):
    """A Decimal as people write it: 100.0000 -> "100", -3.5000 -> "-3.5", never "1E+2"."""
    from reports.snapshot import decimal_text

    return "" if value is None else decimal_text(value)


@register.filter
def signed_number(value):
    """A difference with its sign: +5, -0.1, 0."""
    from reports.snapshot import decimal_text

    if value is None:
        return ""
    return f"+{decimal_text(value)}" if value > 0 else decimal_text(value)
