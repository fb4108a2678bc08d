"""Demo values of FM.0390's hand-entered indicator (fictitious); the framework itself is one of the
project's public facts (projects.fm0390)."""

from datetime import date
from decimal import Decimal

from projects.models import IndicatorValue, Project


def seed(*, log, with_users: bool) -> None:
    project = Project.objects.filter(code="FM.0390").first()
    if project is None:
        return
    protocol = project.indicators.filter(code="2").first()
    if protocol is None or protocol.values.exists():
        return
    IndicatorValue.objects.create(
        indicator=protocol,
        period_start=date(2022, 1, 1),
        period_end=date(2023, 12, 31),
        value=Decimal(2),
        note="Oujda, Tanger",
    )
    IndicatorValue.objects.create(
        indicator=protocol,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        value=Decimal(5),
        note="Oujda, Tanger, Casablanca, Fès, Rabat",
    )
    log(f"Demo values entered by hand for {project.code}'s indicator {protocol.code}.")
