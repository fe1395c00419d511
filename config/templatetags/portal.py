"""Template filters used across the portal."""

from django import template

from services import money

register = template.Library()
register.filter("yuan", money.yuan)
