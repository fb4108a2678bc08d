"""Disclosure control for every figure shown outside staff pages, audited as a reader would attack it.

Tables of counts of people are shown with their row, column and grand totals. A count from 1 to 4
is shown as "< 5" (primary suppression); more cells are hidden as "…" (secondary suppression) until
the audit below finds nothing a reader could work out.

**The reader** holds every table of a release at once and knows what the markers mean: counts are
whole numbers of at least 0, "< 5" is 1 to 4, "…" is 0 or at least 5 (a 1 to 4 would have been
"< 5"), every row and column adds up to its total, and tables of the same people share their
totals (the registered people by age, by nationality and by city have the same total by sex). A
figure shown in one table is known in all. The reader may also hold the previous release.

**The audit** asks, for each hidden figure, the smallest and largest value consistent with all of
that, as a mixed-integer program solved by HiGHS (``scipy.optimize.milp``). A release is safe when:

- no hidden figure is pinned to one value;
- every "< 5" figure can still be each of 1, 2, 3 and 4 (the reader learns nothing beyond the marker);
- every "…" figure's range spans at least ``PROTECTION_WIDTH`` (max − min, a setting);
- against the previous release, every figure that changed by 1 to 4 people could as well not have
  changed, so that a reader holding both releases cannot single out who came in between.

**Protection** hides the cheapest further figure (data before totals, small before large) that makes
a failing check pass, and audits again, until the release is safe.

Counts of events (workshops held) are not counts of people: they are shown as they are.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from scipy.optimize import Bounds, LinearConstraint, milp

SMALL = range(1, 5)
SMALL_MARK = "< 5"
HIDDEN_MARK = "…"
MARKERS = (SMALL_MARK, HIDDEN_MARK)
# The "no upper bound" of a hidden figure is twice the largest count of the tables, plus room: far
# above what a reader could rule out, and small enough for the solver's arithmetic to stay exact
# (a bound of millions made HiGHS call feasible tables infeasible).
MIN_BOUND = 1_000
PREVIOUS = "previous:"
TOTAL = "total"
ALL = "all"


def protection_width() -> int:
    return settings.DISCLOSURE_PROTECTION_WIDTH


@dataclass
class Grid:
    """A table of counts with its totals: ``values[i][j]``, the last row and column being totals.

    ``shared`` names the figures this table shares with others (the same quantity under the same
    name): ``{(i, j): name}``. ``people`` is False for counts of events, shown as they are.
    """

    key: str
    values: list[list[int]]
    people: bool = True
    shared: dict[tuple[int, int], str] = field(default_factory=dict)
    # What the rows and columns are (a quarter, a sex...): figures keep their names from one release
    # to the next even when rows come and go. Positions by default.
    row_codes: list[str] = field(default_factory=list)
    column_codes: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.row_codes = [str(code) for code in self.row_codes] or [str(i) for i in range(self.height)]
        self.column_codes = [str(code) for code in self.column_codes] or [str(j) for j in range(self.width)]

    @classmethod
    def of(cls, key: str, counts: list[list[int]], **kwargs) -> "Grid":
        """A grid from its data cells; totals are added."""
        columns = len(counts[0]) if counts else len(kwargs.get("column_codes", []))
        rows = [[*row, sum(row)] for row in counts]
        rows.append([sum(row[j] for row in counts) for j in range(columns)] + [sum(map(sum, counts))])
        return cls(key, rows, **kwargs)

    def totals_only(self) -> "Grid":
        """The table reduced to one row, all its rows together: what its column totals say. The
        row and the totals are the same figures, so they carry the same names."""
        totals = self.values[-1]
        names = {
            j: self.shared.get((self.height, j)) or quantity_of(self, (self.height, j)) for j in range(self.width + 1)
        }
        shared = {(i, j): name for j, name in names.items() for i in (0, 1)}
        return Grid(
            self.key,
            [list(totals), list(totals)],
            people=self.people,
            shared=shared,
            row_codes=[ALL],
            column_codes=self.column_codes,
        )

    def code(self, cell: tuple[int, int]) -> tuple[str, str]:
        i, j = cell
        row = self.row_codes[i] if i < self.height else TOTAL
        return row, self.column_codes[j] if j < self.width else TOTAL

    @property
    def height(self) -> int:  # data rows
        return len(self.values) - 1

    @property
    def width(self) -> int:  # data columns
        return len(self.values[0]) - 1 if self.values else 0

    def cells(self) -> Iterable[tuple[int, int]]:
        for i in range(self.height + 1):
            for j in range(self.width + 1):
                yield i, j

    def lines(self) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
        """Each row and column as (its cells, its total)."""
        rows = [([(i, j) for j in range(self.width)], (i, self.width)) for i in range(self.height + 1)]
        columns = [([(i, j) for i in range(self.height)], (self.height, j)) for j in range(self.width + 1)]
        return [(cells, total) for cells, total in rows + columns if cells]


def quantity_of(grid: Grid, cell: tuple[int, int]) -> str:
    """The name of the figure a cell shows (``table:row:column`` by codes): shared figures are one
    quantity across tables."""
    return grid.shared.get(cell) or ":".join((grid.key, *grid.code(cell)))


@dataclass
class Shown:
    """What a reader sees of each quantity: its value, or a marker."""

    values: dict[str, int | str]

    def is_hidden(self, quantity: str) -> bool:
        return self.values[quantity] in MARKERS


@dataclass
class Check:
    """One check the audit made of a hidden figure (or of a change since the previous release)."""

    quantity: str
    kind: str  # "small", "hidden" or "change"
    low: int
    high: int
    safe: bool


class Model:
    """The reader's knowledge as constraints over the hidden quantities of one or two releases."""

    def __init__(self, grids: list[Grid], shown: Shown, *, prefix: str = ""):
        self.bound = max([MIN_BOUND, *(2 * value for grid in grids for row in grid.values for value in row)])
        self.variables: dict[str, int] = {}
        self.rows: list[tuple[dict[int, float], float]] = []  # (coefficients, right-hand side): sum == rhs
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integrality: list[int] = []
        self.either_zero_or_five: list[int] = []
        self.add_release(grids, shown, prefix=prefix)

    def variable(self, name: str, marker: str) -> int:
        if name not in self.variables:
            index = len(self.lower)
            self.variables[name] = index
            low, high = (1, 4) if marker == SMALL_MARK else (0, self.bound)
            self.lower.append(low)
            self.upper.append(high)
            self.integrality.append(1)
            if marker == HIDDEN_MARK:
                self.either_zero_or_five.append(index)
        return self.variables[name]

    def add_release(self, grids: list[Grid], shown: Shown, *, prefix: str) -> None:
        for grid in grids:
            if not grid.people:
                continue
            for cells, total in grid.lines():
                coefficients: dict[int, float] = {}
                constant = 0
                for cell, sign in [*((c, 1) for c in cells), (total, -1)]:
                    quantity = quantity_of(grid, cell)
                    value = shown.values[quantity]
                    if value in MARKERS:
                        index = self.variable(prefix + quantity, value)
                        coefficients[index] = coefficients.get(index, 0) + sign
                    else:
                        constant += sign * value
                coefficients = {k: v for k, v in coefficients.items() if v}
                if coefficients:
                    self.rows.append((coefficients, -constant))

    def solve(self, objective: dict[int, float], fixed: dict[int, int] | None = None, exact: bool = True):
        """The minimum of ``objective`` over what the reader knows, or None when nothing fits.

        Not ``exact``: the linear relaxation (any real values, "…" anywhere from 0 up), which can
        only widen a range. The search for what to hide uses it; the audit that decides does not.
        """
        count = len(self.lower)
        binaries = len(self.either_zero_or_five) if exact else 0
        size = count + binaries
        cost = np.zeros(size)
        for index, weight in objective.items():
            cost[index] = weight
        lower = np.array(self.lower + [0] * binaries, dtype=float)
        upper = np.array(self.upper + [1] * binaries, dtype=float)
        for index, value in (fixed or {}).items():
            lower[index] = upper[index] = value
        matrix, low, high = [], [], []
        for coefficients, rhs in self.rows:
            row = np.zeros(size)
            for index, weight in coefficients.items():
                row[index] = weight
            matrix.append(row)
            low.append(rhs)
            high.append(rhs)
        # A "…" figure is 0 or at least 5: x >= 5·b and x <= bound·b, with b in {0, 1}.
        for position, index in enumerate(self.either_zero_or_five[:binaries]):
            binary = count + position
            at_least = np.zeros(size)
            at_least[index], at_least[binary] = 1, -5
            at_most = np.zeros(size)
            at_most[index], at_most[binary] = 1, -self.bound
            matrix += [at_least, at_most]
            low += [0, -np.inf]
            high += [np.inf, 0]
        constraints = [LinearConstraint(np.array(matrix), low, high)] if matrix else []
        result = milp(
            cost,
            constraints=constraints,
            bounds=Bounds(lower, upper),
            integrality=np.ones(size) if exact else np.zeros(size),
        )
        if result.status != 0:
            return None
        return float(result.fun)

    def range_of(self, objective: dict[int, float], exact: bool = True) -> tuple[int, int]:
        low = self.solve(objective, exact=exact)
        high = self.solve({index: -weight for index, weight in objective.items()}, exact=exact)
        # A relaxed range is widened to whole numbers outward; an exact one is whole already.
        return math.floor(low + 1e-6), math.ceil(-high - 1e-6)


def audit(grids: list[Grid], shown: Shown, previous=None, *, exact: bool = True, cache: dict | None = None):
    """Every check of a release: (checks, the first failing one or None).

    ``previous`` is the previous release: (its grids, what it showed, its true counts by quantity);
    with it, the change of each figure between the two releases is checked too. Tables that share
    no figure are audited apart; ``cache`` keeps the checks of a group of tables that did not change.
    """
    cache = {} if cache is None else cache
    checks = []
    for group in components(grids):
        names = quantities(group)
        key = (exact, tuple(grid.key for grid in group), tuple(sorted((n, str(shown.values[n])) for n in names)))
        if key not in cache:
            cache[key] = _audit_group(group, shown, _previous_of(group, previous), exact)
        checks += cache[key]
    return checks, next((check for check in checks if not check.safe), None)


def components(grids: list[Grid]) -> list[list[Grid]]:
    """The tables of counts of people, grouped by the figures they share."""
    groups: list[tuple[set[str], list[Grid]]] = []
    for grid in (grid for grid in grids if grid.people):
        names = set(grid.shared.values())
        linked = [group for group in groups if group[0] & names]
        merged = (names.union(*(g[0] for g in linked)), [g for group in linked for g in group[1]] + [grid])
        groups = [group for group in groups if group not in linked] + [merged]
    return [group for _names, group in groups]


def quantities(grids: list[Grid]) -> set[str]:
    return {quantity_of(grid, cell) for grid in grids for cell in grid.cells()}


def true_values(grids: list[Grid]) -> dict[str, int]:
    """The true count of every quantity of counts of people."""
    return {quantity_of(grid, (i, j)): grid.values[i][j] for grid in grids if grid.people for i, j in grid.cells()}


def _previous_of(group: list[Grid], previous):
    if previous is None:
        return None
    keys = {grid.key for grid in group}
    return [grid for grid in previous[0] if grid.key in keys], previous[1], previous[2]


def _audit_group(group: list[Grid], shown: Shown, previous, exact: bool) -> list[Check]:
    model = Model(group, shown)
    checks = [_hidden_check(model, name, shown, exact) for name in model.variables]
    if previous is not None:
        joint = _joint_model(group, shown, previous)
        checks += [
            _change_check(joint, name, shown, previous, now, exact)
            for name, now in true_values(group).items()
            if abs(now - previous[2].get(name, 0)) in SMALL
        ]
    return checks


def _hidden_check(model: Model, name: str, shown: Shown, exact: bool) -> Check:
    index = model.variables[name]
    low, high = model.range_of({index: 1}, exact)
    if shown.values[name] == SMALL_MARK:
        middle = not exact or all(model.solve({}, fixed={index: v}) is not None for v in (2, 3))
        return Check(name, "small", low, high, low <= 1 and high >= 4 and middle)
    return Check(name, "hidden", low, high, high - low + 1 >= protection_width())


def _joint_model(grids, shown: Shown, previous) -> Model:
    previous_grids, previous_shown, _true = previous
    model = Model(grids, shown)
    model.add_release(previous_grids, previous_shown, prefix=PREVIOUS)
    return model


def _change_check(model: Model, name: str, shown: Shown, previous, now: int, exact: bool) -> Check:
    """A figure that changed by 1 to 4 since the previous release must look as if it may not have."""
    _grids, previous_shown, previous_true = previous
    objective: dict[int, float] = {}
    constant = 0
    for variable, sign, values in ((name, 1, shown.values), (PREVIOUS + name, -1, previous_shown.values)):
        value = values.get(name, 0)  # a row absent from a release was 0 then
        if value in MARKERS:
            index = model.variables[variable]
            objective[index] = objective.get(index, 0) + sign
        else:
            constant += sign * value
    if not objective:
        change = now - previous_true.get(name, 0)
        return Check(name, "change", change, change, False)
    low, high = model.range_of(objective, exact)
    return Check(name, "change", low + constant, high + constant, low + constant <= 0 <= high + constant)


def _recheck(group: list[Grid], shown: Shown, previous, failing: Check, exact: bool) -> bool:
    """Whether ``failing`` passes now, asked alone (the whole audit runs again afterwards)."""
    if failing.kind == "change":
        now = true_values(group)[failing.quantity]
        model = _joint_model(group, shown, previous)
        return _change_check(model, failing.quantity, shown, previous, now, exact).safe
    return _hidden_check(Model(group, shown), failing.quantity, shown, exact).safe


@dataclass
class Protection:
    shown: Shown
    checks: list[Check]  # the exact audit of what is shown
    reasons: dict[str, str]  # why each hidden quantity is hidden
    withheld: list[str] = field(default_factory=list)  # tables not published at all
    grids: list[Grid] = field(default_factory=list)  # the tables as published (some reduced to totals)
    reduced: list[str] = field(default_factory=list)  # tables published as their totals only

    @property
    def safe(self) -> bool:
        return all(check.safe for check in self.checks)


def protect(grids: list[Grid], previous=None) -> Protection:
    """What to show of each table so that the exact audit passes. A table that cannot be made safe
    whatever is hidden (two "< 5" in a row: their total is then at most 8) is reduced to its totals
    (one row, "All"); if even that cannot be made safe, it is withheld whole. The rest is then
    protected again."""
    withheld: list[str] = []
    grids = list(grids)
    while True:
        published = [grid for grid in grids if grid.key not in withheld]
        protection = _protect(published, previous)
        if protection.safe:
            protection.withheld, protection.grids = withheld, published
            protection.reduced = [grid.key for grid in published if grid.row_codes == [ALL]]
            return protection
        stuck = next(check.quantity for check in protection.checks if not check.safe)
        # One table at a time, the most detailed first: a figure shared by several tables (a total
        # by sex) should cost the detail of one of them, not of all.
        holding = [n for n, grid in enumerate(grids) if grid.people and grid.key not in withheld]
        holding = [n for n in holding if stuck in quantities([grids[n]])]
        if not holding:  # nothing left to give up: unsafe, and publish_release refuses it
            protection.withheld, protection.grids = withheld, published
            return protection
        n = max(holding, key=lambda n: (grids[n].height, _small_cells(grids[n])))
        if grids[n].height > 1:
            grids[n] = grids[n].totals_only()
        else:
            withheld.append(grids[n].key)


def _small_cells(grid: Grid) -> int:
    return sum(value in SMALL for row in grid.values for value in row)


def _protect(grids: list[Grid], previous=None) -> Protection:
    """What to show of each quantity so that the exact audit passes.

    The search hides the cheapest further figures (a single one, or the three other corners of a
    rectangle) that make the first failing check pass, judged by the fast relaxed audit; once that
    finds nothing, the exact audit decides, and any failure it finds is fixed the same way.
    """
    values = {quantity_of(grid, (i, j)): grid.values[i][j] for grid in grids for i, j in grid.cells()}
    people = {quantity_of(grid, cell) for grid in grids if grid.people for cell in grid.cells()}
    reasons = {q: "small" for q in people if values[q] in SMALL}
    cache: dict = {}
    exact = False
    while True:
        shown = _shown(values, reasons)
        checks, failing = audit(grids, shown, previous, exact=exact, cache=cache)
        if failing is None:
            if exact:
                return Protection(shown, checks, reasons)
            exact = True
            continue
        group = next(group for group in components(grids) if failing.quantity in quantities(group))
        options = _options(group, failing.quantity, shown, values)
        if not options:  # everything on its lines is hidden: the rest of its tables, cheapest first
            home = [grid for grid in group if failing.quantity in quantities([grid])]
            rest = sorted((q for q in quantities(home) if not shown.is_hidden(q)), key=lambda q: (values[q], q))
            options = [(q,) for q in rest]
        if not options:
            if exact:
                # Everything near it is hidden: unsafe, and its check comes first for protect().
                checks.remove(failing)
                return Protection(shown, [failing, *checks], reasons)
            exact = True
            continue
        earlier = _previous_of(group, previous)
        chosen = next(
            (
                o
                for o in options
                if _recheck(group, _shown(values, {**reasons, **dict.fromkeys(o)}), earlier, failing, exact)
            ),
            options[0],
        )
        why = "change" if failing.kind == "change" else f"protects {failing.quantity}"
        reasons.update(dict.fromkeys(chosen, why))


def _shown(values: dict[str, int], hidden: dict[str, str]) -> Shown:
    return Shown({q: (SMALL_MARK if v in SMALL else HIDDEN_MARK) if q in hidden else v for q, v in values.items()})


MAX_OPTIONS = 24


def _options(group: list[Grid], quantity: str, shown: Shown, values: dict[str, int]) -> list[tuple[str, ...]]:
    """Sets of shown quantities to hide, cheapest first: the quantity itself (for a change), one
    more figure on a line through it, or the other corners of a rectangle through it."""
    options: set[tuple[str, ...]] = set()
    totals = set()
    for grid in group:
        for i, j in grid.cells():
            if i == grid.height or j == grid.width:
                totals.add(quantity_of(grid, (i, j)))
        places = [cell for cell in grid.cells() if quantity_of(grid, cell) == quantity]
        for i, j in places:
            for r, c in grid.cells():
                if (r == i) != (c == j):  # on its row or its column
                    options.add((quantity_of(grid, (r, c)),))
                elif r != i and c != j:
                    options.add(tuple(sorted({quantity_of(grid, cell) for cell in ((i, c), (r, j), (r, c))})))
    options.add((quantity,))
    fresh = {tuple(q for q in option if not shown.is_hidden(q)) for option in options}
    fresh.discard(())

    def cost(option):
        return (sum(q in totals for q in option), len(option), sum(values[q] for q in option), option)

    return sorted(fresh, key=cost)[:MAX_OPTIONS]
