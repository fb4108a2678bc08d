"""The FM.0390 results framework: outcomes and outputs, most computed from the records."""

from datetime import date
from decimal import Decimal

from projects.models import Indicator, IndicatorValue, Project

Metric = Indicator.Metric

# code, level, French name, English name, measure, target, metric
FRAMEWORK = [
    (
        "1",
        "outcome",
        "Part des migrants formés en emploi ou à leur compte six mois après la formation",
        "Share of trained migrants employed or self-employed six months after training",
        "percentage",
        "60",
        Metric.WORKING_AFTER_SIX_MONTHS,
    ),
    (
        "1.1",
        "output",
        "Migrants ayant achevé une formation professionnelle",
        "Migrants who completed a vocational training",
        "unit",
        "100",
        Metric.COMPLETED_VOCATIONAL,
    ),
    (
        "1.2",
        "output",
        "Migrants ayant achevé une formation en micro-entreprise",
        "Migrants who completed a micro-enterprise training",
        "unit",
        "40",
        Metric.COMPLETED_MICRO_ENTERPRISE,
    ),
    ("1.3", "output", "Micro-entreprises créées", "Micro-enterprises created", "unit", "25", Metric.BUSINESSES_CREATED),
    (
        "2",
        "outcome",
        "Collectivités locales ayant adopté un protocole d'orientation des migrants",
        "Local authorities that adopted a referral protocol for migrants",
        "unit",
        "4",
        "",
    ),
    (
        "2.1",
        "output",
        "Acteurs publics et associatifs formés",
        "Government and NGO actors trained",
        "unit",
        "80",
        Metric.STAKEHOLDERS_TRAINED,
    ),
    (
        "2.2",
        "output",
        "Ateliers et concertations tenus",
        "Workshops and consultations held",
        "unit",
        "8",
        Metric.EVENTS_HELD,
    ),
]


def seed(*, log, with_users: bool) -> None:
    project = Project.objects.filter(code="FM.0390").first()
    if project is None:
        return
    if project.indicators.exists():
        log(f"Results framework of {project.code} already loaded.")
        return
    for code, level, name_fr, name_en, measure, target, metric in FRAMEWORK:
        Indicator.objects.create(
            project=project,
            code=code,
            level=level,
            name_fr=name_fr,
            name_en=name_en,
            measure=measure,
            baseline=Decimal(0),
            baseline_year=2022,
            target=Decimal(target),
            metric=metric,
        )
    protocol = project.indicators.get(code="2")
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
    log(f"Results framework of {project.code}: {len(FRAMEWORK)} indicators.")
