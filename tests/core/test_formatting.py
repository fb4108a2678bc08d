"""Numbers and money as each language writes them (CLDR, through Babel)."""

import json
from datetime import date

import pytest
from django.utils import translation
from django.utils.formats import date_format

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


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("fr", "3 mai 2026", "03/05/2026"),
        ("en", "3 May 2026", "3 May 2026"),
        ("ar", "3 ماي 2026", "3\u200f/5\u200f/2026"),
    ],
)
def test_each_language_writes_dates_its_own_way(language, long, short):
    day = date(2026, 5, 3)
    with translation.override(language):
        assert (date_format(day, "DATE_FORMAT"), date_format(day, "SHORT_DATE_FORMAT")) == (long, short)
        assert (
            date_format(date(2026, 8, 1), "YEAR_MONTH_FORMAT")
            == {
                "fr": "août 2026",
                "en": "August 2026",
                "ar": "غشت 2026",
            }[language]
        )


def test_the_admin_calendar_names_the_months_as_morocco_writes_them(client, admin_user):
    client.force_login(admin_user)
    catalog = client.get("/ar/admin/jsi18n/").content.decode()

    def written(text):
        return json.dumps(text)[1:-1]  # as the catalogue writes it: \\u escapes

    assert written("دجنبر") in catalog and written("غشت") in catalog and written("ديسمبر") not in catalog


def test_a_staff_member_is_named_by_their_full_name_else_their_username():
    from django.contrib.auth import get_user_model

    from core.formatting import staff_name

    User = get_user_model()
    assert staff_name(User(username="awa", first_name="Awa", last_name="Diallo")) == "Awa Diallo"
    assert staff_name(User(username="awa", first_name="", last_name="Diallo")) == "Diallo"
    assert staff_name(User(username="awa", first_name="", last_name="")) == "awa"
