"""Benchmarks (make bench): production-like (DEBUG off) on a database of their own per tier, kept
between runs in .bench/ (SQLite) or as masar_bench_<tier> (PostgreSQL, from DATABASE_URL)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-that-is-long-enough-for-django-checks-0123")
TIER = os.environ.setdefault("BENCH_TIER", "S").upper()

from .base import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
TWO_FACTOR_REQUIRED = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = str(BASE_DIR / ".bench" / f"bench-{TIER}.sqlite3")  # noqa: F405
else:
    DATABASES["default"]["NAME"] = f"masar_bench_{TIER.lower()}"  # noqa: F405
# The export is measured as the rows it writes: inline here, whatever its size (a job writes the
# same rows into a file in production, beyond EXPORT_INLINE_MAX_ROWS).
EXPORT_INLINE_MAX_ROWS = 10**9
