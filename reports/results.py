"""A project's results, as the public sheet and donors see them: every actual goes through the
disclosure rule (a count from 1 to 4 is shown as "< 5"; a share over fewer than 5 people is not
shown)."""

from dataclasses import dataclass
from decimal import Decimal

from projects.models import Indicator, Project

from .disclosure import SMALL
from .metrics import compute_metrics

MIN_BASE = 5  # people behind a share, at least


@dataclass
class ResultLine:
    indicator: Indicator
    actual: Decimal | int | None  # None: not measured yet, or withheld
    withheld: bool  # too small to show: the reader sees "< 5"
    progress: int | None  # percent of the way from baseline to target, 0 to 100


def project_results(project: Project) -> list[ResultLine]:
    indicators = list(project.indicators.prefetch_related("values"))
    metrics = compute_metrics(project) if any(i.metric for i in indicators) else {}
    lines = []
    for indicator in indicators:
        if indicator.metric:
            measured = metrics[indicator.metric]
            actual, base = measured["value"], measured.get("base")
        else:
            latest = max(indicator.values.all(), key=lambda value: value.period_end, default=None)
            actual, base = (latest.value if latest else None), None
        lines.append(_line(indicator, actual, base))
    return lines


def _line(indicator: Indicator, actual, base) -> ResultLine:
    if actual is None:
        return ResultLine(indicator, None, False, None)
    percentage = indicator.measure == Indicator.Measure.PERCENTAGE
    if base is not None and base < MIN_BASE:
        return ResultLine(indicator, None, True, None)  # too few people behind the share
    if not percentage and int(actual) == actual and int(actual) in SMALL:
        return ResultLine(indicator, None, True, None)
    span = indicator.target - indicator.baseline
    progress = None
    if span > 0:
        progress = int(max(0, min(100, (Decimal(actual) - indicator.baseline) * 100 / span)))
    return ResultLine(indicator, actual, False, progress)
