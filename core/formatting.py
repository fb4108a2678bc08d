"""Formatting that follows the active language: money and numbers through Babel's CLDR data; and
how a staff member is named on a page."""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils.translation import get_language, gettext_noop

# CLDR locales whose conventions we want: French as written in Morocco and France
# ("200 000,00 $US"), international English ("US$200,000.00"), Arabic as written in Morocco
# ("200.000,00 US$"), in Western digits unless settings.ARABIC_DIGITS says "arab" (١٢٣).
BABEL_LOCALES = {"fr": "fr", "en": "en_001", "ar": "ar_MA"}


# Django's date filter names the months with these messages (django.utils.dates.MONTHS). Declared
# again here so that our catalogue, which comes first, gives the names Morocco writes in Arabic (CLDR
# ar-MA: ماي، يوليوز، غشت، شتنبر، نونبر، دجنبر) where Django's Arabic catalogue has the Middle East's.
MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]


def _babel_locale() -> str:
    return BABEL_LOCALES.get((get_language() or "fr")[:2], "fr")


def _numbering() -> str:
    return settings.ARABIC_DIGITS if _babel_locale().startswith("ar") else "latn"


EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _digits(text: str) -> str:
    # Babel gives the "arab" numbering system's separators but keeps Western digits: written here.
    return text.translate(EASTERN_DIGITS) if _numbering() == "arab" else text


def _plain_spaces(text: str) -> str:
    # CLDR separates French thousands with narrow no-break spaces; templates wrap the result in
    # .text-nowrap instead, so that search, copy and screen readers meet ordinary spaces.
    return text.replace("\u202f", " ").replace("\xa0", " ")


def money(amount, currency: str = "USD") -> str:
    if amount in (None, ""):
        return ""
    return _digits(
        _plain_spaces(format_currency(Decimal(amount), currency, locale=_babel_locale(), numbering_system=_numbering()))
    )


def number(value, max_decimals: int | None = None) -> str:
    """``{{ rate|number:1 }}`` shows at most one decimal: 66,7 and 80 rather than 80,0."""
    if value in (None, ""):
        return ""
    pattern = None if max_decimals is None else "#,##0." + "#" * int(max_decimals)
    return _digits(
        _plain_spaces(format_decimal(value, format=pattern, locale=_babel_locale(), numbering_system=_numbering()))
    )


def percent(value, max_decimals: int | None = None) -> str:
    """``{{ rate|percent:1 }}``: a percentage (83.3, not 0.833) as the language writes it, "83,3 %"
    in French (a no-break space before the sign, never a line between them), "83.3%" in English."""
    if value in (None, ""):
        return ""
    return number(value, max_decimals) + _percent_sign(_babel_locale())


def _percent_sign(locale: str) -> str:
    # What follows the number in CLDR's percent pattern: "\u202f%" for French, "%" for English.
    pattern = Locale.parse(locale).percent_formats[None].pattern
    return pattern[pattern.rindex("0") + 1 :].replace("\u202f", "\xa0")


def staff_name(user) -> str:
    """How a staff member is named on a page, a form or a message: their full name, else their
    username (an account made with a username only)."""
    return user.get_full_name() or user.get_username()
