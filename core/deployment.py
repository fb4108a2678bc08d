"""What a deployment of several processes needs, checked where it starts.

Each gunicorn worker is a process: a per-process cache (Django's local-memory cache) would give each
its own copy of the donor figures, the data version and the live-figures lock, so that two requests
read two different states (measured: 3 of 8 donor requests got old figures right after a change). One
worker may keep it; more need a cache they share (Redis, ``CACHE_URL=redis://…``).
"""

from django.core.checks import Error

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache")


def per_process_cache_problem(caches: dict, workers: int) -> str:
    """Why this cache cannot serve this many workers, or "" when it can."""
    backend = caches.get("default", {}).get("BACKEND", "")
    if workers > 1 and backend in PER_PROCESS_CACHES:
        return (
            f"{workers} workers (WEB_CONCURRENCY) cannot share a per-process cache ({backend.rsplit('.', 1)[-1]}): "
            "each would serve its own figures. Set CACHE_URL to a cache they share, e.g. redis://127.0.0.1:6379/0."
        )
    return ""


def check_shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """The same rule as a system check (``manage.py check --deploy``)."""
    from django.conf import settings

    problem = per_process_cache_problem(settings.CACHES, getattr(settings, "WEB_CONCURRENCY", 1))
    return [Error(problem, id="masar.E001")] if problem else []
