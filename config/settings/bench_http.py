"""make bench-http: production settings (DEBUG off, HTTPS behind a proxy, the second factor for
M&E officers) on the benchmark's database and URLs (bench/urls.py), served by gunicorn."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-that-is-long-enough-for-django-checks-0123")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("EMAIL_URL", "consolemail://")
TIER = os.environ.setdefault("BENCH_TIER", "M").upper()

from .production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["NAME"] = str(BASE_DIR / ".bench" / f"bench-{TIER}.sqlite3")  # noqa: F405
else:
    DATABASES["default"]["NAME"] = f"masar_bench_{TIER.lower()}"  # noqa: F405
