"""The one gate between a project's records and anyone outside its staff.

Everything a donor or the public sees (the public sheet, the dashboard, the CSV and XLSX figures,
the print report, the IATI file) is drawn from a ``Figures``: tables, headlines, results and shares
in which every cell is already decided as a number, "< 5" or "…". It is made here, and only here,
from the raw summary of the project's records, which never leaves this module: ``protect`` puts
every table of counts of people through ``reports.disclosure`` at once (shared totals included, and
against the previous published release), and every other figure is read from those tables or put
through the rule for a figure shown on its own.

A ``Figures`` holds codes, not words (``F``, ``25-34``, ``MA``, a quarter's first day as ISO), so
one serves every language, and it is plain JSON, so a published release stores it as it is.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from beneficiaries.models import AgeGroup, Beneficiary
from projects.models import Indicator, IndicatorValue, Organization, Project
from trainings.models import Enrollment, Training
from workshops.models import Workshop

from .disclosure import ALL, MARKERS, SMALL, SMALL_MARK, Grid, Protection, Shown, protect, quantity_of
from .summary import Summary, compute_summary

Metric = Indicator.Metric
TOP_NATIONALITIES = 8  # more are folded into "Other nationalities", so rows stay readable
OTHER = "other"
MIN_BASE = 5  # people behind a share, at least
WITHHELD = "—"  # a figure not published (a share over too few people, a withheld table)
CERTIFIED_MEASURES = ((Training.Kind.VOCATIONAL, "vocational"), (Training.Kind.MICRO_ENTERPRISE, "micro_enterprise"))
SEXES = list(Beneficiary.Sex.values)
# The registered people by age, by nationality and by city are the same people: one total by sex.
REGISTERED_TABLES = ("registered_by_age", "registered_by_nationality", "registered_by_city")
# Where each headline is read: (table, row code, column code), "total" for a total.
HEADLINE_CELLS = {
    Metric.REGISTERED: ("registered_by_age", "total", "total"),
    Metric.COMPLETED_VOCATIONAL: ("certified_by_kind", Training.Kind.VOCATIONAL, "total"),
    Metric.COMPLETED_MICRO_ENTERPRISE: ("certified_by_kind", Training.Kind.MICRO_ENTERPRISE, "total"),
    Metric.BUSINESSES_CREATED: ("businesses_by_sex", "total", "total"),
    Metric.STAKEHOLDERS_TRAINED: ("stakeholders_by_organization", "total", "total"),
    Metric.EVENTS_HELD: ("events_by_kind", "total", "total"),
}
HEADLINES = [
    Metric.REGISTERED,
    Metric.COMPLETED_VOCATIONAL,
    Metric.COMPLETED_MICRO_ENTERPRISE,
    Metric.BUSINESSES_CREATED,
    Metric.WORKING_AFTER_SIX_MONTHS,
    Metric.STAKEHOLDERS_TRAINED,
    Metric.EVENTS_HELD,
]


@dataclass(frozen=True)
class Spec:
    """A table: what its rows and columns are, and what it counts ("people" are protected; "events"
    are not people and are shown as they are)."""

    key: str
    rows: str
    columns: str
    counts: str = "people"
    show_row_totals: bool = True


SPECS = [
    Spec("registered_by_age", "age_group", "sex"),
    Spec("registered_by_nationality", "nationality", "sex"),
    Spec("registered_by_city", "city", "sex"),
    Spec("certified_by_kind", "training_kind", "sex"),
    # The same certificates by city (the dashboard's city slice), sharing their totals by kind.
    Spec("certified_by_city", "city", "training_kind"),
    Spec("working_by_sex", "sex", "employment"),
    Spec("businesses_by_sex", "sex", "total", show_row_totals=False),
    Spec("stakeholders_by_organization", "organization_kind", "sex"),
    Spec("events_by_kind", "event_kind", "level", counts="events"),
    # An enrollment is one person in one training: counts of people follow from it, so protected.
    Spec("enrollments_by_quarter", "quarter", "training_kind", counts="enrollments"),
    Spec("certificates_by_quarter", "quarter", "training_kind", counts="enrollments"),
    Spec("events_by_quarter", "quarter", "event_kind", counts="events"),
]


@dataclass
class Figures:
    """What may be shown of a project's results: plain data, every cell decided."""

    data: dict

    @property
    def as_of(self):
        return timezone.datetime.fromisoformat(self.data["as_of"])

    def table(self, key: str) -> dict:
        """A table of the figures; one they do not hold (a release published before the table
        existed) reads as withheld: nothing is shown of it, and nothing is made up."""
        table = self.data["tables"].get(key)
        if table is None:
            spec = next(spec for spec in SPECS if spec.key == key)
            return {
                "rows": spec.rows,
                "columns": spec.columns,
                "counts": spec.counts,
                "show_row_totals": spec.show_row_totals,
                "withheld": True,
                "row_codes": [],
                "column_codes": [],
                "grid": [],
            }
        return table

    @property
    def tables(self) -> dict:
        return self.data["tables"]

    def cell(self, key: str, row: str, column: str):
        """A cell by its codes; a row or column the table does not have holds 0 people."""
        table = self.table(key)
        if table["withheld"]:
            return WITHHELD
        rows, columns = [*table["row_codes"], "total"], [*table["column_codes"], "total"]
        # A table reduced to its totals ("all") holds no row (or column) of its own: not a zero.
        if (str(row) not in rows and table["row_codes"] == [ALL]) or (
            str(column) not in columns and table["column_codes"] == [ALL]
        ):
            return WITHHELD
        if str(row) not in rows or str(column) not in columns:
            return 0
        return table["grid"][rows.index(str(row))][columns.index(str(column))]

    @property
    def headlines(self) -> list[dict]:
        return self.data["headlines"]

    @property
    def results(self) -> list[dict]:
        return self.data["results"]

    @property
    def shares(self) -> list[dict]:
        return self.data["shares"]


def build(project: Project, *, previous=None) -> tuple[Figures, Protection, dict[str, int]]:
    """The project's figures as they stand, protected: (figures, the audit, the true counts of the
    protected figures). ``previous`` is the last published release, whose counts and figures the
    reader may hold: every change since it is protected too. The true counts are for the next
    release's audit only; they are never shown."""
    summary = compute_summary(project)
    grids = _grids(summary)
    protection = protect(grids, _previous(previous))
    counts = {name: value for grid in protection.grids if grid.people for name, value in _values(grid).items()}
    return _figures(summary, grids, protection), protection, counts


def _values(grid: Grid) -> dict[str, int]:
    return {quantity_of(grid, cell): grid.values[cell[0]][cell[1]] for cell in grid.cells()}


def _previous(release):
    """The previous release as its reader knows it: its tables' shapes and what they showed."""
    if release is None:
        return None
    figures = Figures(release.figures)
    grids, shown = [], {}
    for spec in SPECS:
        table = figures.tables.get(spec.key)
        if table is None or spec.counts == "events" or table["withheld"]:
            continue
        height, width = len(table["row_codes"]), len(table["column_codes"])
        grid = _grid(spec, table["row_codes"], table["column_codes"], [[0] * (width + 1)] * (height + 1))
        grids.append(grid)
        for (i, j), name in _names(grid).items():
            shown[name] = table["grid"][i][j]
    return grids, Shown(shown), _counts_by_current_names(release.counts)


def _counts_by_current_names(counts: dict) -> dict:
    """A release's true counts under the names the audit uses now: the certified totals by kind
    were named after their table ("certified_by_kind:vocational:total") before they were shared with
    the table by city ("certified:vocational"); read under the old name, the change since that
    release would go unchecked."""
    renamed = dict(counts)
    for name, value in counts.items():
        parts = name.split(":")
        if parts[0] == "certified_by_kind" and parts[2:] == ["total"]:
            renamed.setdefault(f"certified:{parts[1]}", value)
    return renamed


def _names(grid: Grid) -> dict:
    return {cell: quantity_of(grid, cell) for cell in grid.cells()}


def _grid(spec: Spec, row_codes, column_codes, values) -> Grid:
    shared = {}
    height, width = len(row_codes), len(column_codes)
    if spec.key in REGISTERED_TABLES:
        shared = {(height, j): f"registered:{code}" for j, code in enumerate([*column_codes, "total"])}
    elif spec.key == "certified_by_kind":  # each kind's total, and the grand total
        shared = {(i, width): f"certified:{code}" for i, code in enumerate([*row_codes, "total"])}
    elif spec.key == "certified_by_city":
        shared = {(height, j): f"certified:{code}" for j, code in enumerate([*column_codes, "total"])}
    return Grid(
        spec.key,
        values,
        people=spec.counts != "events",
        shared=shared,
        row_codes=[str(code) for code in row_codes],
        column_codes=[str(code) for code in column_codes],
    )


def _grids(summary: Summary) -> list[Grid]:
    people = summary.people
    nationalities = _top_nationalities(people)
    enrolled = [e for e in summary.enrollments if e["enrolled"] and e["status"] != Enrollment.Status.WAITLISTED]
    certified = [e for e in summary.enrollments if e["completed"] and e["status"] == Enrollment.Status.CERTIFIED]
    sources = {
        "registered_by_age": (
            list(AgeGroup.values),
            SEXES,
            ((p["age_group"], p["sex"], p["registered"]) for p in people),
        ),
        "registered_by_nationality": (
            [*nationalities, OTHER],
            SEXES,
            (
                (p["nationality"] if p["nationality"] in nationalities else OTHER, p["sex"], p["registered"])
                for p in people
            ),
        ),
        "registered_by_city": (
            sorted({p["city"] for p in people}),
            SEXES,
            ((p["city"], p["sex"], p["registered"]) for p in people),
        ),
        "certified_by_kind": (
            list(Training.Kind.values),
            SEXES,
            ((kind, p["sex"], p[measure]) for p in people for kind, measure in CERTIFIED_MEASURES),
        ),
        "certified_by_city": (
            sorted({p["city"] for p in people}),
            list(Training.Kind.values),
            ((p["city"], kind, p[measure]) for p in people for kind, measure in CERTIFIED_MEASURES),
        ),
        "working_by_sex": (
            SEXES,
            ["working", "not_working"],
            (
                (p["sex"], state, value)
                for p in people
                for state, value in (("working", p["working"]), ("not_working", p["followed_up"] - p["working"]))
            ),
        ),
        "businesses_by_sex": (SEXES, ["businesses"], ((p["sex"], "businesses", p["business"]) for p in people)),
        "stakeholders_by_organization": (
            list(Organization.Kind.values),
            SEXES,
            ((p["organization_kind"], p["sex"], p["trained"]) for p in summary.participants),
        ),
        "events_by_kind": (
            list(Workshop.Kind.values),
            list(Organization.Level.values),
            ((e["kind"], e["level"], e["held"]) for e in summary.events),
        ),
        "enrollments_by_quarter": (
            _quarters(e["enrolled"] for e in enrolled),
            list(Training.Kind.values),
            ((e["enrolled"], e["kind"], e["enrollments"]) for e in enrolled),
        ),
        "certificates_by_quarter": (
            _quarters(e["completed"] for e in certified),
            list(Training.Kind.values),
            ((e["completed"], e["kind"], e["enrollments"]) for e in certified),
        ),
        "events_by_quarter": (
            _quarters(e["quarter"] for e in summary.events),
            list(Workshop.Kind.values),
            ((e["quarter"], e["kind"], e["held"]) for e in summary.events),
        ),
    }
    grids = []
    for spec in SPECS:
        row_codes, column_codes, count = sources[spec.key]
        counts = defaultdict(int)
        for row_code, column_code, value in count:
            counts[_code(row_code), _code(column_code)] += value
        row_codes = [_code(c) for c in row_codes]
        column_codes = [_code(c) for c in column_codes]
        # Rows and columns with nobody are left out, as a reader would expect.
        row_codes = [r for r in row_codes if any(counts[r, c] for c in column_codes)]
        column_codes = [c for c in column_codes if any(counts[r, c] for r in row_codes)]
        data = [[counts[r, c] for c in column_codes] for r in row_codes]
        grid = Grid.of(spec.key, data, row_codes=row_codes, column_codes=column_codes)
        grids.append(_grid(spec, row_codes, column_codes, grid.values))
    return grids


def _nationality(person: dict, shown: list[str]) -> str:
    return person["nationality"] if person["nationality"] in shown else OTHER


def _code(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _top_nationalities(people: list[dict]) -> list[str]:
    totals = defaultdict(int)
    for person in people:
        totals[person["nationality"]] += person["registered"]
    return sorted(totals, key=lambda code: (-totals[code], code))[:TOP_NATIONALITIES]


def _quarters(days) -> list[date]:
    return sorted(set(days))


# --- From the protected tables to everything else shown --------------------------------------------


def _figures(summary: Summary, grids: list[Grid], protection: Protection) -> Figures:
    tables = {}
    published = {grid.key: grid for grid in protection.grids}
    for spec, grid in zip(SPECS, grids, strict=True):
        withheld = spec.key in protection.withheld
        grid = published.get(spec.key, grid)
        names = _names(grid)
        tables[spec.key] = {
            "rows": spec.rows,
            "columns": spec.columns,
            "counts": spec.counts,
            "show_row_totals": spec.show_row_totals,
            "withheld": withheld,
            "row_codes": [] if withheld else grid.row_codes,
            "column_codes": [] if withheld else grid.column_codes,
            "grid": []
            if withheld
            else [
                [protection.shown.values[names[i, j]] for j in range(grid.width + 1)] for i in range(grid.height + 1)
            ],
        }
    figures = Figures({"as_of": summary.computed_at.isoformat(), "tables": tables})
    figures.data["shares"] = _shares(figures)
    figures.data["headlines"] = _headlines(figures)
    figures.data["results"] = _results(figures, summary.indicators)
    return figures


def _shares(figures: Figures) -> list[dict]:
    """The share working six months after training, per sex and overall: withheld when its base is
    hidden or under MIN_BASE people, or when the working count is hidden."""
    table = figures.table("working_by_sex")
    if table["withheld"]:
        return []
    shares = []
    for code in [*table["row_codes"], "total"]:
        base = figures.cell("working_by_sex", code, "total")
        working = figures.cell("working_by_sex", code, "working")
        hidden = (*MARKERS, WITHHELD)
        withheld = base in hidden or working in hidden or base < MIN_BASE
        value = None if withheld else round(100 * working / base, 1)
        shares.append({"code": "all" if code == "total" else code, "value": value, "base": base})
    return shares


def _headlines(figures: Figures) -> list[dict]:
    headlines = []
    for metric in HEADLINES:
        if metric == Metric.WORKING_AFTER_SIX_MONTHS:
            overall = next((s for s in figures.shares if s["code"] == "all"), None)
            value = overall["value"] if overall and overall["value"] is not None else WITHHELD
            headlines.append({"metric": metric, "value": value, "percentage": True})
        else:
            key, row, column = HEADLINE_CELLS[metric]
            if key in REGISTERED_TABLES:  # the same total in each: whichever is published
                key = next((k for k in REGISTERED_TABLES if not figures.table(k)["withheld"]), key)
            headlines.append({"metric": metric, "value": figures.cell(key, row, column), "percentage": False})
    return headlines


def single_figure(value, *, percentage: bool):
    """The rule for a figure shown on its own (a hand-entered value): a count from 1 to 4 is "< 5"."""
    if percentage:
        return float(value)
    count = Decimal(value)
    if count == count.to_integral() and int(count) in SMALL:
        return SMALL_MARK
    return int(count) if count == count.to_integral() else float(count)


def _results(figures: Figures, indicators: list[Indicator]) -> list[dict]:
    """One line per indicator: a computed one reads its figure from the protected tables, a
    hand-entered one its approved values, each through the rule for a figure on its own."""
    headline = {h["metric"]: h["value"] for h in figures.headlines}
    lines = []
    for indicator in indicators:
        percentage = indicator.measure == Indicator.Measure.PERCENTAGE
        periods = [
            {
                "start": value.period_start.isoformat(),
                "end": value.period_end.isoformat(),
                "value": single_figure(value.value, percentage=percentage),
            }
            for value in indicator.values.all()
            if value.status == IndicatorValue.Status.APPROVED
        ]
        latest = periods[-1]["value"] if periods else None
        actual = headline[indicator.metric] if indicator.metric else latest
        lines.append(
            {
                "indicator": indicator.pk,
                "code": indicator.code,
                "actual": actual,
                "progress": _progress(indicator, actual),
                "periods": periods,
            }
        )
    return lines


def _progress(indicator: Indicator, actual) -> int | None:
    if actual is None or actual in (*MARKERS, WITHHELD):
        return None
    span = indicator.target - indicator.baseline
    if span <= 0:
        return None
    share = (Decimal(str(actual)) - indicator.baseline) * 100 / span
    return int(max(0, min(100, share.quantize(Decimal(1), rounding=ROUND_HALF_UP))))
