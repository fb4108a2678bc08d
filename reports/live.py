"""Live figures, for the project's staff: protected exactly as a release would be, computed from the
records as they stand, and kept in the cache until the data changes."""

import time

from django.core.cache import cache

from core.versioning import data_version
from projects.models import Project

from . import figures as gate
from .selectors import latest_release

CACHE_TIMEOUT = 60 * 60  # an hour: some figures (events held) also move with the date


# While one request computes a project's figures (seconds at 100,000 people), the others do not
# compute them too: they serve the figures computed last, or wait for these.
COMPUTE_LOCK_SECONDS = 120
WAIT_SECONDS = 30
POLL_SECONDS = 0.05


def live_figures(project: Project) -> tuple[gate.Figures, dict]:
    """(figures, audit) of the next release as it would be published now (or, while another request
    computes them, as they were last computed: see ``live_figures_ready``)."""
    key = _key(project)
    latest_key = f"reports:live:{project.pk}:latest"
    cached = cache.get(key)
    if cached is None:
        cached = _computed_once(key, latest_key, lambda: _compute(project))
    return gate.Figures(cached[0]), cached[1]


def live_figures_ready(project: Project) -> bool:
    """Whether the live figures of the data as it stands are computed: what is drawn from the last
    ones, served meanwhile, must not be kept as if it were current."""
    return cache.get(_key(project)) is not None


def _key(project: Project) -> str:
    return f"reports:live:{project.pk}:{data_version()}"


def _compute(project: Project):
    figures, protection, _counts = gate.build(project, previous=latest_release(project))
    return (figures.data, audit_record(protection))


def _computed_once(key: str, latest_key: str, compute):
    """The value for ``key``, computed by one request at a time (a lock in the shared cache): after a
    restart or a change, every worker would otherwise compute the same figures at once. The others
    serve the value computed last (``latest_key``) or, when there is none, wait for this one."""
    lock_key = f"{key}:computing"
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(lock_key, 1, COMPUTE_LOCK_SECONDS):
        latest = cache.get(latest_key)
        if latest is not None:
            return latest
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
        if time.monotonic() > deadline:  # the one computing is stuck or gone: compute here
            break
    try:
        value = compute()
        cache.set_many({key: value, latest_key: value}, CACHE_TIMEOUT)
    finally:
        cache.delete(lock_key)
    return value


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
