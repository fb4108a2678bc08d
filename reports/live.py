"""Live figures, for the project's staff: protected exactly as a release would be, computed from the
records as they stand, and kept in the cache until the data changes."""

from django.core.cache import cache

from core.versioning import data_version
from projects.models import Project

from . import figures as gate
from .selectors import latest_release

CACHE_TIMEOUT = 60 * 60  # an hour: some figures (events held) also move with the date


def live_figures(project: Project) -> tuple[gate.Figures, dict]:
    """(figures, audit) of the next release as it would be published now."""
    key = f"reports:live:{project.pk}:{data_version()}"
    cached = cache.get(key)
    if cached is None:
        figures, protection, _counts = gate.build(project, previous=latest_release(project))
        cached = (figures.data, audit_record(protection))
        cache.set(key, cached, CACHE_TIMEOUT)
    return gate.Figures(cached[0]), cached[1]


def audit_record(protection) -> dict:
    """What the audit found, as a release keeps it: why each figure is hidden, each table withheld,
    and the range a reader could narrow each hidden figure to."""
    return {
        "safe": protection.safe,
        "reasons": protection.reasons,
        "withheld": protection.withheld,
        "reduced": protection.reduced,
        "checks": [
            {"quantity": c.quantity, "kind": c.kind, "low": c.low, "high": c.high, "safe": c.safe}
            for c in protection.checks
        ],
    }
