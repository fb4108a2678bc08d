"""A project as an IATI 2.03 activity file, the format the aid world reads its publishers' data in.

Results carry the figures of the project's current release, as the public sheet does: a hidden
figure is published without a value, with a comment saying why; by-sex actuals are the release's
own cells. No release, no results.
"""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, override

from beneficiaries.models import Beneficiary
from projects.models import Indicator, Project

from .disclosure import MARKERS
from .display import result_views
from .figures import WITHHELD, Figures

IOM_REF = "XM-DAC-47066"
IOM_TYPE = "40"  # multilateral
IOM_NAMES = {"fr": "Organisation internationale pour les migrations", "en": "International Organization for Migration"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITY_SCOPE = {
    Project.Coverage.GLOBAL: "1",
    Project.Coverage.REGIONAL: "2",
    Project.Coverage.NATIONAL: "4",
    Project.Coverage.SUBNATIONAL: "5",
}
DOCUMENT_CATEGORY = "A12"  # IATI DocumentCategory: activity web page
RESULT_TYPE = {Indicator.Level.OUTPUT: "1", Indicator.Level.OUTCOME: "2"}
MEASURE = {Indicator.Measure.UNIT: "1", Indicator.Measure.PERCENTAGE: "2"}
SEX_DIMENSION = {Beneficiary.Sex.FEMALE: "female", Beneficiary.Sex.MALE: "male"}
# Metrics that count people, and so have an actual by sex: where the release holds it by sex.
BY_SEX = {
    Indicator.Metric.REGISTERED: ("registered_by_age", "total", "{sex}"),
    Indicator.Metric.COMPLETED_VOCATIONAL: ("certified_by_kind", "vocational", "{sex}"),
    Indicator.Metric.COMPLETED_MICRO_ENTERPRISE: ("certified_by_kind", "micro_enterprise", "{sex}"),
    Indicator.Metric.BUSINESSES_CREATED: ("businesses_by_sex", "{sex}", "total"),
}


def activity_file(project: Project, release, fundings, partnerships=(), updates=()) -> bytes:
    """The activity file. ``updates``: (approved update, its page's absolute address), each
    published as a document of the activity."""
    now = timezone.now().replace(microsecond=0)
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": now.isoformat()})
    activity = ET.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": max([project.updated_at, *([release.published_at] if release else [])])
            .replace(microsecond=0)
            .isoformat(),
            XML_LANG: "fr",
            "default-currency": project.currency,
        },
    )
    ET.SubElement(activity, "iati-identifier").text = project.iati_identifier
    _narratives(ET.SubElement(activity, "reporting-org", {"ref": IOM_REF, "type": IOM_TYPE}), IOM_NAMES)
    _narratives(ET.SubElement(activity, "title"), {"fr": project.title_fr, "en": project.title_en})
    _narratives(
        ET.SubElement(activity, "description", {"type": "1"}),
        {"fr": project.description_fr or project.title_fr, "en": project.description_en},
    )
    for funding in fundings:
        organization = funding.organization
        attributes = {"role": "1", "type": organization.kind}
        if organization.iati_ref:
            attributes["ref"] = organization.iati_ref
        _narratives(ET.SubElement(activity, "participating-org", attributes), {"fr": organization.name})
    for role in ("2", "4"):  # accountable, implementing
        org = ET.SubElement(activity, "participating-org", {"ref": IOM_REF, "role": role, "type": IOM_TYPE})
        _narratives(org, IOM_NAMES)
    for partnership in partnerships:
        organization = partnership.organization
        if organization.iati_ref == IOM_REF:
            continue  # IOM's own roles are above
        attributes = {"role": partnership.role, "type": organization.kind}
        if organization.iati_ref:
            attributes["ref"] = organization.iati_ref
        _narratives(ET.SubElement(activity, "participating-org", attributes), {"fr": organization.name})
    if project.prima_id:
        other = ET.SubElement(activity, "other-identifier", {"ref": project.prima_id, "type": "A1"})
        _narratives(ET.SubElement(other, "owner-org", {"ref": IOM_REF}), IOM_NAMES)
    ET.SubElement(activity, "activity-status", {"code": project.iati_status})
    for kind, day in _activity_dates(project):
        ET.SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    if project.coverage in ACTIVITY_SCOPE:
        ET.SubElement(activity, "activity-scope", {"code": ACTIVITY_SCOPE[project.coverage]})
    countries = list(project.beneficiary_countries)
    for country in countries:
        attributes = {"code": country.code}
        if len(countries) == 1:
            attributes["percentage"] = "100"
        ET.SubElement(activity, "recipient-country", attributes)
    for place in project.locations.all():
        if place.latitude is None or place.longitude is None:
            continue
        location = ET.SubElement(activity, "location")
        _narratives(ET.SubElement(location, "name"), {"fr": place.name})
        point = ET.SubElement(location, "point", {"srsName": "http://www.opengis.net/def/crs/EPSG/0/4326"})
        ET.SubElement(point, "pos").text = f"{place.latitude} {place.longitude}"
        ET.SubElement(location, "exactness", {"code": "2"})  # approximate: a city's centre
    for sector in project.sectors.all():
        ET.SubElement(
            activity, "sector", {"vocabulary": "1", "code": sector.code, "percentage": _decimal(sector.percentage)}
        )
    for tag in project.sdg_list:
        vocabulary = "3" if "." in tag else "2"  # SDG target, or goal
        ET.SubElement(activity, "tag", {"vocabulary": vocabulary, "code": tag})
    start, end = _period(project)
    budget = ET.SubElement(activity, "budget", {"type": "1", "status": "2"})
    ET.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
    ET.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
    value = ET.SubElement(budget, "value", {"currency": project.currency, "value-date": start.isoformat()})
    value.text = _decimal(project.budget)
    for update, url in updates:
        document = ET.SubElement(activity, "document-link", {"format": "text/html", "url": url})
        _narratives(ET.SubElement(document, "title"), {"fr": update.title})
        ET.SubElement(document, "category", {"code": DOCUMENT_CATEGORY})
        ET.SubElement(document, "document-date", {"iso-date": update.happened_on.isoformat()})
    if release is not None:
        figures = Figures(release.figures)
        for line in result_views(figures, project):
            _result(activity, line, figures, start, min(end, release.period_end))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _narratives(parent, texts: dict[str, str]) -> None:
    """One narrative per language given; French is the activity's default language."""
    for language, text in texts.items():
        if text:
            attributes = {} if language == "fr" else {XML_LANG: language}
            ET.SubElement(parent, "narrative", attributes).text = text


def _activity_dates(project: Project) -> list[tuple[str, date]]:
    dates = [
        ("1", project.planned_start_date),
        ("2", project.actual_start_date),
        ("3", project.planned_end_date),
        ("4", project.actual_end_date),
    ]
    present = [(kind, day) for kind, day in dates if day]
    return present or [("1", timezone.localdate(project.created_at))]


def _period(project: Project) -> tuple[date, date]:
    """The project's span. When only its end is known (a sheet that gives the year alone), the
    budget and results are reported over that year."""
    end = project.end_date or timezone.localdate()
    start = project.start_date or date(end.year, 1, 1)
    return start, max(start, end)


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _result(activity, line, figures: Figures, start: date, end: date) -> None:
    indicator = line.indicator
    result = ET.SubElement(activity, "result", {"type": RESULT_TYPE[indicator.level], "aggregation-status": "1"})
    _narratives(ET.SubElement(result, "title"), {"fr": indicator.name_fr, "en": indicator.name_en})
    element = ET.SubElement(result, "indicator", {"measure": MEASURE[indicator.measure], "ascending": "1"})
    _narratives(ET.SubElement(element, "title"), {"fr": indicator.name_fr, "en": indicator.name_en})
    baseline_year = indicator.baseline_year or start.year
    ET.SubElement(element, "baseline", {"year": str(baseline_year), "value": _decimal(indicator.baseline)})
    periods = [(p["period_start"], p["period_end"], p["value"]) for p in line.periods]
    if indicator.metric or not periods:
        periods = [(start, max(start, end), None)]
    for number, (period_start, period_end, value) in enumerate(periods):
        period = ET.SubElement(element, "period")
        ET.SubElement(period, "period-start", {"iso-date": period_start.isoformat()})
        ET.SubElement(period, "period-end", {"iso-date": period_end.isoformat()})
        if number == len(periods) - 1:  # the target is for the end of the project
            ET.SubElement(period, "target", {"value": _decimal(indicator.target)})
        if value in (*MARKERS, WITHHELD):
            _withheld(ET.SubElement(period, "actual"))
        elif value is not None:
            ET.SubElement(period, "actual", {"value": _decimal(Decimal(str(value)))})
        elif indicator.metric:
            _computed_actuals(period, line, figures)


def _computed_actuals(period, line, figures: Figures) -> None:
    """The actual, and by sex where the metric counts people: each as the release shows it."""
    if line.is_marker:
        _withheld(ET.SubElement(period, "actual"))
    elif line.actual is not None:
        ET.SubElement(period, "actual", {"value": _decimal(Decimal(str(line.actual)))})
    where = BY_SEX.get(line.indicator.metric)
    if where is None:
        return
    table, row, column = where
    for sex, name in SEX_DIMENSION.items():
        cell = figures.cell(table, row.format(sex=sex), column.format(sex=sex))
        if cell == 0:
            continue
        hidden = cell in (*MARKERS, WITHHELD)
        actual = ET.SubElement(period, "actual", {} if hidden else {"value": str(cell)})
        ET.SubElement(actual, "dimension", {"name": "sex", "value": name})
        if hidden:
            _withheld(actual)


def _withheld(actual) -> None:
    comment = ET.SubElement(actual, "comment")
    for language in ("fr", "en"):
        with override(language):
            text = gettext("Not published: fewer than 5 people, or a figure that would reveal one.")
        _narratives(comment, {language: text})
