"""What a project's country decides: the region its phone numbers are read in, the currency of its
local amounts (its budget keeps its own), the time zone of its sessions. Read from CLDR (Babel)
and Google's phone metadata, not written by hand: a project in a new country needs no code."""

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import phonenumbers
from babel.core import get_global
from babel.numbers import get_territory_currencies


@dataclass(frozen=True)
class CountryProfile:
    code: str  # ISO 3166-1 alpha-2
    currency: str  # ISO 4217, the country's legal tender today
    time_zone: ZoneInfo

    @property
    def phone_region(self) -> str:
        return self.code

    @property
    def phone_example(self) -> str:
        """A mobile number as people of the country write it (06 50 12 34 56 in Morocco)."""
        number = phonenumbers.example_number_for_type(self.code, phonenumbers.PhoneNumberType.MOBILE)
        if number is None:
            return ""
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@cache
def country_profile(code: str) -> CountryProfile:
    currencies = get_territory_currencies(code) or ["USD"]
    zones = get_global("territory_zones").get(code) or ["UTC"]
    return CountryProfile(code=code, currency=currencies[0], time_zone=ZoneInfo(zones[0]))
