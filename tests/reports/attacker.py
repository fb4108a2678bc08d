"""An attacker with a spreadsheet and a solver, written apart from reports.disclosure.

It reads only what a release publishes (its tables: row and column codes, and cells that are a
number, "< 5", "…" or "—") and what anyone can know: counts are whole numbers of at least 0, "< 5"
is 1 to 4, "…" is 0 or at least 5, rows and columns add up to their totals, and the three tables
of registered people (by age, nationality and city) count the same people, so their totals agree.

Its formulation differs from the product's: every cell of every table is a variable (shown ones
fixed by their bounds), the shared totals are tied by equations, and "…" is written with a binary
that is 1 when the cell is 0. Where the product substitutes shown values and solves per group of
tables, this solves everything at once.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

SMALL, HIDDEN, WITHHELD = "< 5", "…", "—"
CAP = 10_000  # above any count of the test data; small enough for exact arithmetic
REGISTERED = ("registered_by_age", "registered_by_nationality", "registered_by_city")


@dataclass
class Finding:
    where: str
    marker: str
    low: int
    high: int
    takes_every_small_value: bool = True


class Reader:
    """Everything the reader knows from one or more releases, as one integer program."""

    def __init__(self):
        self.lower, self.upper, self.names = [], [], []
        self.markers: dict[int, str] = {}
        self.equations: list[dict[int, int]] = []
        self.zero_flags: dict[int, int] = {}

    def cell(self, name: str, shown) -> int:
        index = len(self.lower)
        self.names.append(name)
        if shown == SMALL:
            low, high = 1, 4
        elif shown == HIDDEN:
            low, high = 0, CAP
        else:
            low = high = shown
        self.lower.append(low)
        self.upper.append(high)
        if shown in (SMALL, HIDDEN):
            self.markers[index] = shown
        if shown == HIDDEN:
            flag = len(self.lower)
            self.names.append(f"{name}=0")
            self.lower.append(0)
            self.upper.append(1)
            self.zero_flags[index] = flag
        return index

    def read(self, figures: dict, label: str = "") -> dict:
        """Add a release's tables of people; returns {(table, row, column): variable}."""
        cells = {}
        for key, table in figures["tables"].items():
            if table["counts"] == "events" or table["withheld"] or not table["grid"]:
                continue
            rows, columns = [*table["row_codes"], "total"], [*table["column_codes"], "total"]
            index = {}
            for i, row in enumerate(rows):
                for j, column in enumerate(columns):
                    index[i, j] = self.cell(f"{label}{key}:{row}:{column}", table["grid"][i][j])
                    cells[key, row, column] = index[i, j]
            height, width = len(rows) - 1, len(columns) - 1
            for i in range(height + 1):
                self.equations.append({**{index[i, j]: 1 for j in range(width)}, index[i, width]: -1})
            for j in range(width + 1):
                self.equations.append({**{index[i, j]: 1 for i in range(height)}, index[height, j]: -1})
        published = [key for key in REGISTERED if (key, "total", "total") in cells]
        for key in published[1:]:
            for column in [*figures["tables"][key]["column_codes"], "total"]:
                first = cells.get((published[0], "total", column))
                other = cells.get((key, "total", column))
                if first is not None and other is not None:
                    self.equations.append({first: 1, other: -1})
        return cells

    def _solve(self, objective: dict[int, int], fixed: dict[int, int] | None = None):
        size = len(self.lower)
        rows, low, high = [], [], []
        for equation in self.equations:
            row = np.zeros(size)
            for index, weight in equation.items():
                row[index] += weight
            rows.append(row)
            low.append(0)
            high.append(0)
        for value, flag in self.zero_flags.items():
            # flag = 1: the cell is 0; flag = 0: it is at least 5.
            at_most, at_least = np.zeros(size), np.zeros(size)
            at_most[value], at_most[flag] = 1, CAP
            at_least[value], at_least[flag] = 1, 5
            rows += [at_most, at_least]
            low += [-np.inf, 5]
            high += [CAP, np.inf]
        lower, upper = np.array(self.lower, float), np.array(self.upper, float)
        for index, value in (fixed or {}).items():
            lower[index] = upper[index] = value
        cost = np.zeros(size)
        for index, weight in objective.items():
            cost[index] = weight
        result = milp(
            cost,
            constraints=[LinearConstraint(np.array(rows), low, high)] if rows else [],
            bounds=Bounds(lower, upper),
            integrality=np.ones(size),
        )
        return None if result.status != 0 else round(result.fun)

    def range_of(self, objective: dict[int, int]) -> tuple[int, int]:
        return self._solve(objective), -self._solve({k: -v for k, v in objective.items()})

    def can_be(self, index: int, value: int) -> bool:
        return self._solve({}, fixed={index: value}) is not None

    def findings(self) -> list[Finding]:
        found = []
        for index, marker in self.markers.items():
            low, high = self.range_of({index: 1})
            every = marker != SMALL or all(self.can_be(index, v) for v in (1, 2, 3, 4))
            found.append(Finding(self.names[index], marker, low, high, every))
        return found


def breaches(figures: dict, width: int = 5) -> list[Finding]:
    """The hidden figures of a release the reader narrows too far: pinned, a "< 5" that cannot be
    each of 1 to 4, or a "…" whose range holds fewer than ``width`` values."""
    reader = Reader()
    reader.read(figures)
    bad = []
    for finding in reader.findings():
        pinned = finding.low == finding.high
        narrow = finding.marker == HIDDEN and finding.high - finding.low + 1 < width
        if pinned or narrow or not finding.takes_every_small_value:
            bad.append(finding)
    return bad


def change_range(before: dict, after: dict, table: str, row: str, column: str = "total") -> tuple[int, int] | None:
    """How much one figure can have changed between two releases, to a reader holding both."""
    reader = Reader()
    old, new = reader.read(before, "before:"), reader.read(after, "after:")
    objective = {}
    constant = 0
    for cells, figures, sign in ((new, after, 1), (old, before, -1)):
        index = cells.get((table, row, column))
        if index is not None:
            objective[index] = objective.get(index, 0) + sign
        elif figures["tables"].get(table) and not figures["tables"][table]["withheld"]:
            rows = [*figures["tables"][table]["row_codes"], "total"]
            if row in rows:
                return None  # published under another shape: not comparable by this reader
            constant += 0  # a row absent from a release was 0 then
        else:
            return None  # the table is not published: nothing to compare
    if not objective:
        return constant, constant
    low, high = reader.range_of(objective)
    return low + constant, high + constant
