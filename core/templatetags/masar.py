"""Template filters for numbers and money in the active language; ``core.formatting`` does the work."""

from django import template

from core import formatting

register = template.Library()
register.filter("money", formatting.money)
register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
