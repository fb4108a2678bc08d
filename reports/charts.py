"""Bar charts drawn on the server as SVG, from protected tables: what the table hides, the chart
does not draw. Horizontal bars, each group's label on its own line, so a chart reads at a
phone's width as well as on paper."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language_bidi

from core.formatting import number

WIDTH = 320  # viewBox units; the SVG scales to its box, text with it
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 10
LEGEND_LINE = 20
TOP_ROOM = 4  # above the first line, for its letters' ascent
VALUE_ROOM = 44  # right of the longest bar, for its value
COLOURS = ("#1f5fa8", "#b5461b", "#5b3a8c")  # each at least 4.5:1 against white


@dataclass
class Bar:
    y: float
    width: float
    colour: str
    text: str  # the value, or "< 5" for what the table hides
    text_x: float
    x: float = 0.0  # where the bar starts: the left edge, or the right one in a right-to-left page
    anchor: str = "start"

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass
class Group:
    label: str
    label_y: float
    bars: list[Bar]
    label_x: float = 0.0
    anchor: str = "start"


@dataclass
class LegendItem:
    label: str
    colour: str
    y: float
    swatch_x: float = 0.0
    text_x: float = 20.0
    anchor: str = "start"

    @property
    def text_y(self) -> float:
        return self.y + 12


@dataclass
class Chart:
    key: str
    width: int
    height: float
    legend: list[LegendItem]
    groups: list[Group]


def bar_chart(key: str, columns: list[str], lines: list[tuple[str, list]]) -> Chart:
    """Bars for each row's cells; a hidden cell (a marker) gets no bar, only its marker."""
    shown = [cell for _row, cells in lines for cell in cells if not isinstance(cell, str)]
    longest = max(shown, default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / longest
    colours = [COLOURS[n % len(COLOURS)] for n in range(len(columns))]
    legend = []
    if len(columns) > 1:  # one line each: labels can be long ("Formation en micro-entreprise")
        legend = [LegendItem(name, colours[n], TOP_ROOM + LEGEND_LINE * n) for n, name in enumerate(columns)]
    y = TOP_ROOM + LEGEND_LINE * len(legend) + (GROUP_GAP if legend else 0)
    groups = []
    for row, cells in lines:
        group = Group(row, y + 13, [])
        y += LABEL_HEIGHT
        for colour, cell in zip(colours, cells, strict=True):
            hidden = isinstance(cell, str)
            width = 0 if hidden else cell * scale
            group.bars.append(Bar(y, width, colour, cell if hidden else number(cell), width + 4))
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
        groups.append(group)
    if get_language_bidi():
        _mirror_bars(legend, groups)
    return Chart(key, WIDTH, y, legend, groups)


def _mirror_bars(legend: list[LegendItem], groups: list[Group]) -> None:
    """A right-to-left page's chart: bars grow from the right edge, labels and values read from it."""
    for item in legend:
        item.swatch_x, item.text_x, item.anchor = WIDTH - 14, WIDTH - 20, "end"
    for group in groups:
        group.label_x, group.anchor = WIDTH, "end"
        for bar in group.bars:
            bar.x, bar.text_x, bar.anchor = WIDTH - max(bar.width, 2), WIDTH - bar.width - 4, "end"


# --- Trends: columns over a continuous axis of quarters ---------------------------------------------

TREND_WIDTH = 320
TREND_HEIGHT = 190
AXIS_ROOM = 34  # left of the plot, for the scale's numbers
BASELINE_ROOM = 40  # under the plot, for the years
HIDDEN_STUB = 6.0  # the height of a hidden value's column: visible, and the same for every one
YEAR_LABEL_ROOM = 44  # the width a year's label needs, in viewBox units


@dataclass
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str  # the quarter, for the column's tooltip
    text: str  # the value, or its marker
    hidden: bool = False  # a marker: a stub of no meaningful height


@dataclass
class Tick:
    y: float
    text: str


@dataclass
class YearMark:
    x: float
    text: str
    anchor: str = "start"


@dataclass
class TrendChart:
    key: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float
    columns: list[Column]
    ticks: list[Tick]
    years: list[YearMark]
    tick_x: float = 0.0  # where the scale's numbers stand, and which way they read
    tick_anchor: str = "end"


def quarters_between(first: date, last: date) -> list[date]:
    """Every quarter's first day from ``first``'s quarter to ``last``'s, none skipped."""
    day = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    quarters = []
    while day <= last:
        quarters.append(day)
        day = date(day.year + (day.month == 10), (day.month + 2) % 12 + 1, 1)
    return quarters


def trend_chart(key: str, points: list[tuple[date, object]], quarter_name) -> TrendChart:
    """One column per quarter on a continuous axis: a quarter with nothing is an empty slot, a
    hidden value ("< 5", "…") a short hatched stub that tells no number."""
    values = dict(points)
    quarters = quarters_between(min(values), max(values))
    numbers = [v for v in values.values() if not isinstance(v, str)]
    top = _round_up(max(numbers, default=0) or 1)
    plot_left, plot_right = AXIS_ROOM, TREND_WIDTH - 4
    plot_top, baseline = 12, TREND_HEIGHT - BASELINE_ROOM
    slot = (plot_right - plot_left) / len(quarters)
    columns, years = [], []
    for n, quarter in enumerate(quarters):
        x = plot_left + n * slot
        value = values.get(quarter, 0)
        hidden = isinstance(value, str)
        if hidden:
            height, text = HIDDEN_STUB, value
        else:
            height, text = (baseline - plot_top) * value / top, number(value)
        width = max(slot * 0.7, 1.5)
        columns.append(
            Column(x + (slot - width) / 2, baseline - height, width, height, quarter_name(quarter), text, hidden)
        )
        if quarter.month == 1 or n == 0:
            years.append(YearMark(x, str(quarter.year)))
    every = max(1, -(-YEAR_LABEL_ROOM // int(4 * slot or 1)))  # years far enough apart to be read
    years = years[::every]
    ticks = [Tick(baseline - (baseline - plot_top) * share, number(round(top * share))) for share in (0, 0.5, 1)]
    chart = TrendChart(
        key, TREND_WIDTH, TREND_HEIGHT, plot_left, plot_right, baseline, columns, ticks, years, plot_left - 4, "end"
    )
    if get_language_bidi():
        _mirror_trend(chart)
    return chart


def _mirror_trend(chart: TrendChart) -> None:
    """A right-to-left page's trend: time runs from right to left, the scale stands on the right."""
    width = chart.width
    chart.plot_left, chart.plot_right = width - chart.plot_right, width - chart.plot_left
    chart.tick_x, chart.tick_anchor = chart.plot_right + 4, "start"
    for column in chart.columns:
        column.x = width - column.x - column.width
    for year in chart.years:
        year.x, year.anchor = width - year.x, "end"


def _round_up(value: int) -> int:
    """A round top for the scale (10, 20, 50, 100…), so its middle tick is a round number too."""
    step = 10 ** max(len(str(value)) - 1, 0)
    for factor in (1, 2, 5, 10):
        if value <= factor * step:
            return max(factor * step, 2)
    return value
