"""Template filters used across the portal."""

from django import template

from services import language, money, words

register = template.Library()
register.filter("yuan", money.yuan)

register.filter("listing", words.listing)
register.filter("zh", language.zh)
register.filter("content", language.zh_if_chinese)
register.simple_tag(language.zh_lang, name="zh_lang")
