"""Disclosure control, on random tables (hypothesis): small counts never show, and no hidden count
can be worked out from what is shown, whatever combination of row and column sums one uses."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.disclosure import suppress

# Counts as projects have them: many zeros and small numbers, some large ones.
COUNTS = st.one_of(st.integers(0, 6), st.integers(0, 400))
TABLES = st.integers(1, 5).flatmap(
    lambda columns: st.lists(st.lists(COUNTS, min_size=columns, max_size=columns), min_size=1, max_size=5)
)


def _grid(table):
    """The shown table as a grid with its totals: (value, hidden) per cell."""
    rows = [
        [(c.value, c.hidden) for c in row] + [(t.value, t.hidden)]
        for row, t in zip(table.cells, table.row_totals, strict=True)
    ]
    rows.append([(c.value, c.hidden) for c in table.column_totals] + [(table.total.value, table.total.hidden)])
    return rows


def _null_space_touches(grid, target) -> bool:
    """Independently of the module: whether some change of the hidden values that keeps every row
    and column sum moves ``target`` (then ``target`` cannot be worked out). Gauss-Jordan on the
    sum equations restricted to hidden cells, then a look at the free variables' kernel vectors."""
    height, width = len(grid), len(grid[0])
    hidden = [(i, j) for i in range(height) for j in range(width) if grid[i][j][1]]
    index = {cell: n for n, cell in enumerate(hidden)}
    equations = []
    for i in range(height):
        equations.append({(i, j): (1 if j < width - 1 else -1) for j in range(width)})
    for j in range(width):
        equations.append({(i, j): (1 if i < height - 1 else -1) for i in range(height)})
    matrix = [[Fraction(eq.get(cell, 0)) for cell in hidden] for eq in equations]
    pivots, row = [], 0
    for column in range(len(hidden)):
        found = next((r for r in range(row, len(matrix)) if matrix[r][column]), None)
        if found is None:
            continue
        matrix[row], matrix[found] = matrix[found], matrix[row]
        lead = matrix[row][column]
        matrix[row] = [value / lead for value in matrix[row]]
        for r in range(len(matrix)):
            if r != row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[row], strict=True)]
        pivots.append(column)
        row += 1
    free = [column for column in range(len(hidden)) if column not in pivots]
    k = index[target]
    if k in free:
        return True
    pivot_row = pivots.index(k)
    return any(matrix[pivot_row][column] != 0 for column in free)


@settings(max_examples=300, deadline=None)
@given(TABLES)
def test_small_counts_are_hidden_and_no_hidden_count_can_be_recovered(counts):
    table = suppress(counts)
    grid = _grid(table)
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            cell = table.cells[i][j]
            assert cell.value == value
            if 1 <= value <= 4:
                assert cell.hidden and str(cell) == "< 5"
            elif not cell.hidden:
                assert str(cell) == str(value)
    for cell in [*table.row_totals, *table.column_totals, table.total]:
        if 1 <= cell.value <= 4:
            assert cell.hidden
    for i, row in enumerate(grid):
        for j, (_value, hidden) in enumerate(row):
            if hidden:
                assert _null_space_touches(grid, (i, j)), (counts, (i, j))


def test_a_lone_small_count_takes_partners_and_the_rest_stays_shown():
    table = suppress([[12, 3, 40], [25, 30, 18]])
    assert str(table.cells[0][1]) == "< 5"
    assert sum(cell.hidden for row in table.cells for cell in row) >= 4  # a lone partner is not enough
    assert str(table.total) == "128"
    assert all(not cell.hidden for cell in table.column_totals)


def test_a_table_without_small_counts_is_shown_whole():
    table = suppress([[10, 0], [7, 25]])
    assert not any(c.hidden for row in table.cells for c in row)
    assert [c.value for c in table.row_totals] == [10, 32]


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])
