"""Template filters used across the portal."""

from django import template

from services import money, words

register = template.Library()
register.filter("yuan", money.yuan)

register.filter("listing", words.listing)
