"""Disclosure control for every figure shown outside staff pages.

A table of counts (rows × columns, with row totals, column totals and a grand total) is shown with
small counts hidden: counts from 1 to 4 appear as "< 5" (primary suppression), so that nobody can
be singled out. Hiding them is not enough when totals are shown: a lone hidden cell in a row is its
total minus the others. So more cells are hidden (secondary suppression) until no hidden value can
be worked out from what is shown, through any combination of the row and column sums.

The check is exact: a hidden value is worked out when it is fixed by the linear equations the table
satisfies (every row and column adds up to its total), which is a rank test over the hidden cells.
Tables shown to donors are small (a few rows by a few columns), so this costs nothing.
"""

from dataclasses import dataclass
from fractions import Fraction

SMALL = range(1, 5)  # counts shown as SMALL_MARK
SMALL_MARK = "< 5"


@dataclass(frozen=True)
class Cell:
    value: int
    hidden: bool = False
    small: bool = False  # hidden because it is 1 to 4 (shown as "< 5"), not to protect another cell

    def __str__(self) -> str:
        if not self.hidden:
            return str(self.value)
        return SMALL_MARK if self.small else "…"


@dataclass(frozen=True)
class SafeTable:
    """``cells[i][j]`` for the data, ``row_totals``, ``column_totals`` and ``total``, each a Cell."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def suppress(counts: list[list[int]]) -> SafeTable:
    """The table with its row and column totals, small counts hidden and enough others hidden that
    no hidden count can be recovered from what is shown."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    if any(len(row) != columns for row in counts) or any(value < 0 for row in counts for value in row):
        raise ValueError("A table of counts has rows of equal length and no negative count.")
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(counts[i][j] for i in range(rows)) for j in range(columns)] + [sum(map(sum, counts))])
    small = {(i, j) for i in range(rows + 1) for j in range(columns + 1) if grid[i][j] in SMALL}
    hidden = set(small)
    while True:
        exposed = next((cell for cell in sorted(hidden) if _recoverable(cell, hidden, rows, columns)), None)
        if exposed is None:
            break
        more = _protection(exposed, hidden, grid, rows, columns)
        if not more:
            break  # everything is hidden already
        hidden |= more

    def cell(i, j):
        return Cell(grid[i][j], (i, j) in hidden, (i, j) in small)

    return SafeTable(
        cells=[[cell(i, j) for j in range(columns)] for i in range(rows)],
        row_totals=[cell(i, columns) for i in range(rows)],
        column_totals=[cell(rows, j) for j in range(columns)],
        total=cell(rows, columns),
    )


def _equations(rows: int, columns: int) -> list[dict[tuple[int, int], int]]:
    """Each row and each column of the grid (totals included) adds up to its total: coefficients."""
    equations = []
    for i in range(rows + 1):
        equations.append({**{(i, j): 1 for j in range(columns)}, (i, columns): -1})
    for j in range(columns + 1):
        equations.append({**{(i, j): 1 for i in range(rows)}, (rows, j): -1})
    return equations


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(target: tuple[int, int], hidden: set, rows: int, columns: int) -> bool:
    """Whether the sums fix ``target``: its unit vector lies in the span of the equations' rows
    restricted to the hidden cells (the shown values are constants)."""
    variables = sorted(hidden)
    matrix = [
        [Fraction(equation.get(variable, 0)) for variable in variables]
        for equation in _equations(rows, columns)
        if any(variable in equation for variable in variables)
    ]
    if not matrix:
        return False
    unit = [Fraction(int(variable == target)) for variable in variables]
    return _rank(matrix) == _rank([*matrix, unit])


def _cost(cells, hidden: set, grid, rows: int, columns: int) -> tuple:
    """What hiding ``cells`` takes from the reader: fewer and smaller data cells first; totals last."""
    new = [cell for cell in cells if cell not in hidden]
    totals = sum(1 for r, c in new if r == rows or c == columns)
    return (totals, len(new), sum(grid[r][c] for r, c in new), sorted(new))


def _protection(exposed: tuple[int, int], hidden: set, grid, rows: int, columns: int) -> set:
    """The cheapest cells to hide so that ``exposed`` can no longer be worked out: one more cell in
    its row or column if that is enough, else the corners of a rectangle through it (each line
    then holds two hidden cells), else, as a last resort, the cheapest shown cell."""
    i, j = exposed
    shown = [(r, c) for r in range(rows + 1) for c in range(columns + 1) if (r, c) not in hidden]
    in_line = [cell for cell in shown if cell[0] == i or cell[1] == j]
    options = [{cell} for cell in in_line]
    options += [{(i, c), (r, j), (r, c)} for r in range(rows + 1) for c in range(columns + 1) if r != i and c != j]
    options.sort(key=lambda cells: _cost(cells, hidden, grid, rows, columns))
    for cells in options:
        if cells - hidden and not _recoverable(exposed, hidden | cells, rows, columns):
            return cells - hidden
    return {min(shown, key=lambda cell: _cost({cell}, hidden, grid, rows, columns))} if shown else set()
