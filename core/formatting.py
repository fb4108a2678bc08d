"""Formatting that follows the active language: money and numbers through Babel's CLDR data."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language

# CLDR locales whose conventions we want: French as written in Morocco and France
# ("200 000,00 $US"), international English ("US$200,000.00").
BABEL_LOCALES = {"fr": "fr", "en": "en_001"}


def _babel_locale() -> str:
    return BABEL_LOCALES.get((get_language() or "fr")[:2], "fr")


def _plain_spaces(text: str) -> str:
    # CLDR separates French thousands with narrow no-break spaces; templates wrap the result in
    # .text-nowrap instead, so that search, copy and screen readers meet ordinary spaces.
    return text.replace("\u202f", " ").replace("\xa0", " ")


def money(amount, currency: str = "USD") -> str:
    if amount in (None, ""):
        return ""
    return _plain_spaces(format_currency(Decimal(amount), currency, locale=_babel_locale()))


def number(value, max_decimals: int | None = None) -> str:
    """``{{ rate|number:1 }}`` shows at most one decimal: 66,7 and 80 rather than 80,0."""
    if value in (None, ""):
        return ""
    pattern = None if max_decimals is None else "#,##0." + "#" * int(max_decimals)
    return _plain_spaces(format_decimal(value, format=pattern, locale=_babel_locale()))
