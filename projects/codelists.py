"""IATI's codelists for sectors and SDGs, with their French and English names.

The files in ``iati_codelists/`` are IATI's own, copied unchanged (see the README there for where
they came from): the OECD DAC 5-digit sectors and their 3-digit categories, and the UN SDG goals
and targets. They are read once per process; a name is asked for in the active language, French
where a language has no name of its own.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

FOLDER = Path(__file__).resolve().parent / "iati_codelists"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Entry:
    code: str
    names: dict[str, str]  # language → name
    withdrawn: bool = False

    @property
    def name(self) -> str:
        language = (get_language() or "fr")[:2]
        return self.names.get(language) or self.names.get("fr") or self.names.get("en", self.code)


@cache
def _read(codelist: str) -> dict[str, Entry]:
    root = ET.parse(FOLDER / f"{codelist}.xml").getroot()  # noqa: S314 (IATI's files, shipped with the code)
    entries = {}
    for item in root.iter("codelist-item"):
        code = item.findtext("code").strip()
        names = {
            narrative.get(XML_LANG, root.get(XML_LANG, "en")): " ".join(narrative.text.split())
            for narrative in item.find("name").iter("narrative")
        }
        # A withdrawn code keeps its name (an older project may use it) but is offered no more.
        entries[code] = Entry(code, names, withdrawn=item.get("status") == "withdrawn")
    return entries


def sector(code: str) -> Entry | None:
    """An OECD DAC 5-digit sector (IATI sector vocabulary 1)."""
    return _read("Sector").get(code)


def sector_category(code: str) -> Entry | None:
    """The 3-digit DAC category a sector belongs to (its first three digits)."""
    return _read("SectorCategory").get(code[:3])


def sdg(code: str) -> Entry | None:
    """An SDG goal ("8") or target ("8.5")."""
    return _read("UNSDG-Targets" if "." in code else "UNSDG-Goals").get(code)


def sector_choices() -> list[tuple[str, str]]:
    """Every DAC 5-digit sector, as choices named in the active language (called when shown)."""
    return [(code, f"{code} · {entry.name}") for code, entry in sorted(_read("Sector").items()) if not entry.withdrawn]
