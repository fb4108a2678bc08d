"""Numbers and money as each language writes them (CLDR, through Babel)."""

import pytest
from django.utils import translation

from core.formatting import money, number, percent


@pytest.mark.parametrize(
    ("language", "amount", "count", "share"),
    [
        ("fr", "200 000,00 $US", "1 234 567,5", "83,3\xa0%"),
        ("en", "US$200,000.00", "1,234,567.5", "83.3%"),
        ("ar", "\u200f200.000,00 US$", "1.234.567,5", "83,3%"),
    ],
)
def test_each_language_writes_numbers_its_own_way(language, amount, count, share):
    with translation.override(language):
        assert (money(200000, "USD"), number(1234567.5), percent(83.3, 1)) == (amount, count, share)


def test_arabic_digits_are_western_unless_the_setting_asks_for_eastern_ones(settings):
    with translation.override("ar"):
        assert number(2026) == "2.026"
        settings.ARABIC_DIGITS = "arab"
        assert number(2026) == "٢٬٠٢٦"
    with translation.override("fr"):
        assert number(2026) == "2 026"  # the setting is Arabic's alone
