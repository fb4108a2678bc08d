"""A project's results, as the public sheet and donors see them: every actual goes through the
disclosure rule (a count from 1 to 4 is shown as "< 5"; a share over fewer than 5 people is not
shown)."""

from dataclasses import dataclass
from decimal import Decimal

from projects.models import Indicator, IndicatorValue

from .disclosure import SMALL

MIN_BASE = 5  # people behind a share, at least


@dataclass
class ResultLine:
    indicator: Indicator
    actual: Decimal | int | None  # None: not measured yet, or withheld
    withheld: bool  # too small to show: the reader sees "< 5"
    progress: int | None  # percent of the way from baseline to target, 0 to 100
    periods: list[IndicatorValue]  # the values entered by hand, period by period


def result_lines(indicators: list[Indicator], metrics: dict[str, dict]) -> list[ResultLine]:
    """One line per indicator: a computed one takes its metric's value, a hand-entered one its
    latest period's."""
    lines = []
    for indicator in indicators:
        periods = list(indicator.values.all())
        if indicator.metric:
            measured = metrics[indicator.metric]
            actual, base = measured["value"], measured.get("base")
        else:
            latest = max(periods, key=lambda value: value.period_end, default=None)
            actual, base = (latest.value if latest else None), None
        lines.append(_line(indicator, actual, base, periods))
    return lines


def withheld(value, base: int | None = None, *, percentage: bool = False) -> bool:
    """The rule for a figure shown on its own: a share over fewer than MIN_BASE people, or a count
    from 1 to 4, is not shown."""
    if base is not None and base < MIN_BASE:
        return True
    return not percentage and int(value) == value and int(value) in SMALL


def _line(indicator: Indicator, actual, base, periods) -> ResultLine:
    if actual is None:
        return ResultLine(indicator, None, False, None, periods)
    if withheld(actual, base, percentage=indicator.measure == Indicator.Measure.PERCENTAGE):
        return ResultLine(indicator, None, True, None, periods)
    span = indicator.target - indicator.baseline
    progress = None
    if span > 0:
        progress = int(max(0, min(100, (Decimal(actual) - indicator.baseline) * 100 / span)))
    return ResultLine(indicator, actual, False, progress, periods)
