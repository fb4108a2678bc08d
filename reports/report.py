"""A project's results as donors and the public see them: the summary's figures arranged in tables,
each put through disclosure control, and kept in the cache until the data changes.

Everything here holds codes, not words (``F``, ``25-34``, ``MA``, a quarter's first day), so one
cached report serves every language; ``reports.labels`` names them when a page is drawn.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction

from beneficiaries.models import AgeGroup, Beneficiary
from projects.models import Organization, Project
from trainings.models import Enrollment, Training
from workshops.models import Workshop

from .disclosure import Cell, SafeTable, suppress
from .results import MIN_BASE, ResultLine, result_lines
from .summary import Summary, compute_summary

DATA_VERSION_KEY = "reports:data-version"
REPORT_TIMEOUT = 60 * 60  # an hour: some figures (events held) also move with the date
TOP_NATIONALITIES = 8  # more are folded into "Other nationalities", so rows stay readable
OTHER = "other"
CERTIFIED_MEASURES = ((Training.Kind.VOCATIONAL, "vocational"), (Training.Kind.MICRO_ENTERPRISE, "micro_enterprise"))


@dataclass
class Table:
    """A table of counts, made safe: ``rows`` and ``columns`` name the dimensions (see
    reports.labels), ``row_codes`` and ``column_codes`` the values along them."""

    key: str
    rows: str
    columns: str
    row_codes: list
    column_codes: list
    safe: SafeTable
    show_row_totals: bool = True

    def lines(self):
        """(row code, its cells, its total), in order."""
        return zip(self.row_codes, self.safe.cells, self.safe.row_totals, strict=True)

    @property
    def is_empty(self) -> bool:
        return self.safe.total.value == 0


@dataclass
class Share:
    """The share of people working six months after training, in one group: ``value`` is None when
    it rests on fewer than MIN_BASE people or on a hidden count."""

    code: str
    value: float | None
    base: Cell


@dataclass
class Report:
    summary: Summary
    metrics: dict[str, dict]  # each named metric's value (and base, for a share): Summary.metrics()
    results: list[ResultLine]
    tables: dict[str, Table] = field(default_factory=dict)
    working_shares: list[Share] = field(default_factory=list)

    @property
    def computed_at(self):
        return self.summary.computed_at


def project_report(project: Project) -> Report:
    """The project's report from the cache, or computed and cached (six queries)."""
    key = f"reports:report:{project.pk}:{data_version()}"
    report = cache.get(key)
    if report is None:
        report = build_report(compute_summary(project))
        cache.set(key, report, REPORT_TIMEOUT)
    return report


def data_version() -> int:
    """A number that changes whenever data a report is made from changes (see reports.apps)."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def data_changed(**kwargs) -> None:
    """Every cached report is stale: a new version now, and again once the transaction commits, so
    that a report computed in between from the data as it was is not the one kept. One version for
    all projects: a change is cheap to record, and a country office has few projects."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)


def build_report(summary: Summary) -> Report:
    metrics = summary.metrics()
    report = Report(summary=summary, metrics=metrics, results=result_lines(summary.indicators, metrics))
    people = summary.people
    sexes = list(Beneficiary.Sex.values)
    nationalities = _top_nationalities(people)

    def add(key, rows, columns, row_codes, column_codes, count, show_row_totals=True):
        counts = defaultdict(int)
        for row_code, column_code, value in count:
            counts[row_code, column_code] += value
        row_codes = [code for code in row_codes if any(counts[code, c] for c in column_codes)]
        column_codes = [code for code in column_codes if any(counts[r, code] for r in row_codes)]
        grid = [[counts[r, c] for c in column_codes] for r in row_codes]
        table = Table(key, rows, columns, row_codes, column_codes, suppress(grid), show_row_totals)
        report.tables[key] = table
        return table

    add(
        "registered_by_age",
        "age_group",
        "sex",
        list(AgeGroup.values),
        sexes,
        ((p["age_group"], p["sex"], p["registered"]) for p in people),
    )
    add(
        "registered_by_nationality",
        "nationality",
        "sex",
        [*nationalities, OTHER],
        sexes,
        ((p["nationality"] if p["nationality"] in nationalities else OTHER, p["sex"], p["registered"]) for p in people),
    )
    add(
        "registered_by_city",
        "city",
        "sex",
        sorted({p["city"] for p in people}),
        sexes,
        ((p["city"], p["sex"], p["registered"]) for p in people),
    )
    add(
        "certified_by_kind",
        "training_kind",
        "sex",
        list(Training.Kind.values),
        sexes,
        ((kind, p["sex"], p[measure]) for p in people for kind, measure in CERTIFIED_MEASURES),
    )
    working = add(
        "working_by_sex",
        "sex",
        "employment",
        sexes,
        ["working", "not_working"],
        (
            (p["sex"], state, value)
            for p in people
            for state, value in (("working", p["working"]), ("not_working", p["followed_up"] - p["working"]))
        ),
    )
    report.working_shares = _shares(working)
    add(
        "businesses_by_sex",
        "sex",
        "total",
        sexes,
        ["businesses"],
        ((p["sex"], "businesses", p["business"]) for p in people),
        show_row_totals=False,
    )
    add(
        "stakeholders_by_organization",
        "organization_kind",
        "sex",
        list(Organization.Kind.values),
        sexes,
        ((p["organization_kind"], p["sex"], p["trained"]) for p in summary.participants),
    )
    add(
        "events_by_kind",
        "event_kind",
        "level",
        list(Workshop.Kind.values),
        list(Organization.Level.values),
        ((e["kind"], e["level"], e["held"]) for e in summary.events),
    )
    enrolled = [e for e in summary.enrollments if e["enrolled"] and e["status"] != Enrollment.Status.WAITLISTED]
    certified = [e for e in summary.enrollments if e["completed"] and e["status"] == Enrollment.Status.CERTIFIED]
    add(
        "enrollments_by_quarter",
        "quarter",
        "training_kind",
        _quarters(e["enrolled"] for e in enrolled),
        list(Training.Kind.values),
        ((e["enrolled"], e["kind"], e["enrollments"]) for e in enrolled),
    )
    add(
        "certificates_by_quarter",
        "quarter",
        "training_kind",
        _quarters(e["completed"] for e in certified),
        list(Training.Kind.values),
        ((e["completed"], e["kind"], e["enrollments"]) for e in certified),
    )
    add(
        "events_by_quarter",
        "quarter",
        "event_kind",
        _quarters(e["quarter"] for e in summary.events),
        list(Workshop.Kind.values),
        ((e["quarter"], e["kind"], e["held"]) for e in summary.events),
    )
    return report


def _top_nationalities(people: list[dict]) -> list[str]:
    totals = defaultdict(int)
    for person in people:
        totals[person["nationality"]] += person["registered"]
    ranked = sorted(totals, key=lambda code: (-totals[code], code))
    return ranked[:TOP_NATIONALITIES]


def _quarters(days) -> list[date]:
    return sorted(set(days))


def _shares(table: Table) -> list[Share]:
    """A share per row of the working table, and overall; withheld when its base is hidden or under
    MIN_BASE, or when the working count is hidden."""
    shares = []
    working_column = table.column_codes.index("working") if "working" in table.column_codes else None

    def share(code, working: Cell | None, base: Cell) -> Share:
        if base.hidden or base.value < MIN_BASE or (working is not None and working.hidden):
            return Share(code, None, base)
        return Share(code, round(100 * (working.value if working else 0) / base.value, 1), base)

    for code, cells, total in table.lines():
        shares.append(share(code, cells[working_column] if working_column is not None else None, total))
    if table.row_codes:
        overall = table.safe.column_totals[working_column] if working_column is not None else None
        shares.append(share("all", overall, table.safe.total))
    return shares
