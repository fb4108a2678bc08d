"""Live figures, for the project's staff: protected exactly as a release would be, computed from the
records as they stand, and kept in the cache until the data changes."""

import time

from django.core.cache import cache
from django.db import transaction

from projects.models import Project

from . import figures as gate
from .selectors import latest_release

DATA_VERSION_KEY = "reports:data-version"
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


def data_version() -> int:
    """A number that changes whenever data the figures are made from changes (see reports.apps)."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def data_changed(**kwargs) -> None:
    """Every cached figure is stale: a new version now, and again once the transaction commits, so
    that figures computed in between from the data as it was are not the ones kept."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)
