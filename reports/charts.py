"""Bar charts drawn on the server as SVG, from protected tables: what the table hides, the chart
does not draw. Horizontal bars, each group's label on its own line, so a chart reads at a
phone's width as well as on paper."""

from dataclasses import dataclass

from core.formatting import number

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


def bar_chart(key: str, columns: list[str], lines: list[tuple[str, list]]) -> Chart:
    """Bars for each row's cells; a hidden cell (a marker) gets no bar, only its marker."""
    shown = [cell for _row, cells in lines for cell in cells if not isinstance(cell, str)]
    longest = max(shown, default=0) or 1
    scale = (WIDTH - VALUE_ROOM) / longest
    colours = [COLOURS[n % len(COLOURS)] for n in range(len(columns))]
    legend = []
    if len(columns) > 1:  # one line each: labels can be long ("Formation en micro-entreprise")
        legend = [LegendItem(name, colours[n], LEGEND_LINE * n) for n, name in enumerate(columns)]
    y = LEGEND_LINE * len(legend) + (GROUP_GAP if legend else 0)
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
    return Chart(key, WIDTH, y, legend, groups)
