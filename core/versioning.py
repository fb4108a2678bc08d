"""The data version: a number that changes whenever data that cached pages and figures are made from
changes, so that what is cached under one version is never read once the data has moved on.

Who changes it is wired above (reports.apps: model signals of every source model, and
core.signals.data_changed for bulk writes); anything may read it to key a cache."""

import time

from django.core.cache import cache
from django.db import transaction

DATA_VERSION_KEY = "data-version"


def data_version() -> int:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(DATA_VERSION_KEY)
    return version


def data_changed(**kwargs) -> None:
    """Everything cached is stale: a new version now, and again once the transaction commits, so
    that what is computed in between from the data as it was is not what is kept."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> None:
    cache.set(DATA_VERSION_KEY, time.time_ns(), timeout=None)
