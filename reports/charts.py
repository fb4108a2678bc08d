"""Bar charts drawn on the server as SVG, from a report's safe tables: what the table hides, the
chart does not draw. Horizontal bars, each group's label on its own line, so a chart reads at a
phone's width as well as on paper."""

from dataclasses import dataclass

from core.formatting import number

from .labels import label
from .report import Table

WIDTH = 320  # viewBox units; the SVG scales to its box, text with it
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 10
LEGEND_LINE = 20
VALUE_ROOM = 44  # right of the longest bar, for its value
COLOURS = ("#1f5fa8", "#b5461b", "#5b3a8c")  # each at least 4.5:1 against white


@dataclass
class Bar:
    y: float
    width: float
    colour: str
    text: str  # the value, or "< 5" for what the table hides
    text_x: float

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass
class Group:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class LegendItem:
    label: str
    colour: str
    y: float

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


def bar_chart(table: Table) -> Chart:
    shown = [cell.value for row in table.safe.cells for cell in row if not cell.hidden]
    longest = max(shown, default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / longest
    colours = {code: COLOURS[n % len(COLOURS)] for n, code in enumerate(table.column_codes)}
    legend = []
    if len(table.column_codes) > 1:  # one line each: labels can be long ("Formation en micro-entreprise")
        legend = [
            LegendItem(label(table.columns, code), colours[code], LEGEND_LINE * n)
            for n, code in enumerate(table.column_codes)
        ]
    y = LEGEND_LINE * len(legend) + (GROUP_GAP if legend else 0)
    groups = []
    for code, cells, _total in table.lines():
        group = Group(label(table.rows, code), y + 13, [])
        y += LABEL_HEIGHT
        for column, cell in zip(table.column_codes, cells, strict=True):
            width = 0 if cell.hidden else cell.value * scale
            group.bars.append(Bar(y, width, colours[column], _text(cell), width + 4))
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
        groups.append(group)
    return Chart(table.key, WIDTH, y, legend, groups)


def _text(cell) -> str:
    return str(cell) if cell.hidden else number(cell.value)
