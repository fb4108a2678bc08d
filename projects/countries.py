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
    time_zones: tuple[str, ...]  # IANA names; a project in a country with several chooses one

    @property
    def time_zone(self) -> ZoneInfo | None:
        """The country's time zone, when it has only one."""
        return ZoneInfo(self.time_zones[0]) if len(self.time_zones) == 1 else None

    @property
    def phone_region(self) -> str | None:
        """The region local numbers are read in; None where the phone metadata knows no numbers
        of the country (Pitcairn, Antarctica…): then only international numbers are taken."""
        return self.code if self.code in phonenumbers.SUPPORTED_REGIONS else None

    @property
    def phone_example(self) -> str:
        """A mobile number as people of the country write it (06 50 12 34 56 in Morocco)."""
        if self.phone_region is None:
            return ""
        number = phonenumbers.example_number_for_type(self.code, phonenumbers.PhoneNumberType.MOBILE)
        if number is None:
            return ""
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


@cache
def country_profile(code: str) -> CountryProfile:
    currencies = get_territory_currencies(code) or ["USD"]
    zones = tuple(get_global("territory_zones").get(code) or ["UTC"])
    return CountryProfile(code=code, currency=currencies[0], time_zones=zones)
