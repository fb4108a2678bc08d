"""A release's figures (or the live ones, for staff) made ready for a page: words in the reader's
language, charts, and the indicators behind the results. Nothing here decides what is shown: every
cell arrives from reports.figures already a number, "< 5" or "…"."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from projects.models import Indicator

from .charts import Chart, TrendChart, bar_chart, trend_chart
from .disclosure import ALL, MARKERS
from .figures import WITHHELD, Figures
from .labels import DIMENSION_NAMES, TABLE_TITLES, label


@dataclass
class TableView:
    key: str
    title: str
    counts: str  # "people", "enrollments" or "events"
    withheld: bool
    row_heading: str
    columns: list[str]
    lines: list[tuple[str, list, object]]  # (row label, cells, row total)
    column_totals: list
    total: object
    show_row_totals: bool
    chart: Chart | None
    shares: list | None = None

    @property
    def is_empty(self) -> bool:
        return not self.withheld and not self.lines

    @property
    def counts_people(self) -> bool:
        """Events (workshops held) are not people: shown as they are, and not marked as counts."""
        return self.counts != "events"


def table_view(figures: Figures, key: str) -> TableView:
    table = figures.table(key)
    grid = table["grid"]
    lines = [
        (label(table["rows"], decode(table["rows"], code)), grid[i][:-1], grid[i][-1])
        for i, code in enumerate(table["row_codes"])
    ]
    view = TableView(
        key=key,
        title=str(TABLE_TITLES[key]),
        counts=table["counts"],
        withheld=table["withheld"],
        row_heading=str(DIMENSION_NAMES[table["rows"]]),
        columns=[label(table["columns"], decode(table["columns"], code)) for code in table["column_codes"]],
        lines=lines,
        column_totals=grid[-1][:-1] if grid else [],
        total=grid[-1][-1] if grid else 0,
        show_row_totals=table["show_row_totals"],
        chart=None,
    )
    if lines:
        view.chart = bar_chart(key, view.columns, [(row, cells) for row, cells, _total in lines])
    return view


def decode(dimension: str, code: str):
    """A code as ``label`` takes it: a quarter's first day, or the code itself ("all" rows of a
    table reduced to its totals included)."""
    if dimension == "quarter" and code not in (ALL, "other", "total"):
        return date.fromisoformat(code)
    return code


@dataclass
class ResultView:
    indicator: Indicator
    actual: object  # a number, a marker, WITHHELD, or None (not measured yet)
    progress: int | None
    periods: list[dict]

    @property
    def is_marker(self) -> bool:
        return self.actual in (*MARKERS, WITHHELD)


def result_views(figures: Figures, project) -> list[ResultView]:
    indicators = {indicator.pk: indicator for indicator in project.indicators.all()}
    views = []
    for line in figures.results:
        indicator = indicators.get(line["indicator"])
        if indicator is None:  # removed from the framework since the release
            continue
        periods = [
            {
                "period_start": date.fromisoformat(p["start"]),
                "period_end": date.fromisoformat(p["end"]),
                "value": p["value"],
                "is_marker": p["value"] in MARKERS,
            }
            for p in line["periods"]
        ]
        views.append(ResultView(indicator, line["actual"], line["progress"], periods))
    return views


def share_views(figures: Figures) -> list[tuple[str, dict]]:
    return [(label("sex", s["code"]), s) for s in figures.shares]


def figure_name(figures: Figures, name: str) -> str:
    """A figure's name for people: its table, row and column in words ("registered:F" is the total
    of women registered, shared by the three tables of registered people)."""
    parts = name.removeprefix("protects ").split(":")
    if parts[0] == "registered":
        parts = ["registered_by_age", "total", parts[1]]
    elif parts[0] == "certified":
        parts = ["certified_by_kind", parts[1], "total"]
    if len(parts) != 3 or parts[0] not in figures.tables:
        return name
    key, row, column = parts
    table = figures.table(key)
    words = [str(TABLE_TITLES[key])]
    for dimension, code in ((table["rows"], row), (table["columns"], column)):
        words.append(_("Total") if code == "total" else label(dimension, decode(dimension, code)))
    return " · ".join(words)


def map_view(project, figures: Figures | None):
    """The project's places on a map, each sized by the people registered there as the figures
    show them. Where the figures give no count by city (none published, the table withheld or
    reduced to its totals), the places are drawn without counts."""
    from django_countries import countries

    from .maps import Place, project_map

    counts = None
    if figures is not None:
        table = figures.table("registered_by_city")
        if not table["withheld"] and table["row_codes"] != [ALL]:
            counts = {code: row[-1] for code, row in zip(table["row_codes"], table["grid"], strict=False)}
    places = [
        Place(
            location.name,
            float(location.latitude),
            float(location.longitude),
            None if counts is None else counts.get(location.name, 0),
        )
        for location in project.locations.all()
        if location.latitude is not None and location.longitude is not None
    ]
    country_codes = [f"{countries.numeric(country.code):03d}" for country in project.beneficiary_countries]
    return project_map(country_codes=country_codes, places=places)


@dataclass
class TrendView:
    key: str
    title: str
    chart: TrendChart | None
    table: TableView  # the same figures, in a table a reader can open
    reduced: bool = False  # published as totals only (its quarters would have singled someone out)


def trend_view(figures: Figures, key: str, column: str | None = None) -> TrendView:
    """A table by quarter as a trend: one column per quarter, of its total (or of ``column``, one
    kind of training or event), on a continuous axis of quarters."""
    view = table_view(figures, key)
    table = figures.table(key)
    chart = None
    reduced = table["row_codes"] == [ALL]
    if not view.withheld and table["row_codes"] and not reduced:
        points = [(date.fromisoformat(code), figures.cell(key, code, column or "total")) for code in table["row_codes"]]
        chart = trend_chart(key, points, lambda day: label("quarter", day))
    return TrendView(key, view.title, chart, view, reduced)
