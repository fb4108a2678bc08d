"""Tests: base settings made fast. DATABASE_URL chooses SQLite (default) or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123")
os.environ.setdefault("DATABASE_URL", "sqlite:///test-masar.sqlite3")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not the in-memory default: threads then share the database through SQLite's own
    # locking, as the server's do, so the concurrency tests check what production does.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405

# The test database is a development database: seed_demo may load the demo into it.
_test_name = "test_" + DATABASES["default"]["NAME"]  # noqa: F405
DEMO_DATABASES = [_test_name, *(f"{_test_name}_gw{worker}" for worker in range(16))]  # pytest-xdist

# Jobs run at once, inside the request that asks for them, so that a test follows an import from
# its upload to its result; tests of the database backend and its worker choose it themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["private"]["OPTIONS"] = {"location": str(BASE_DIR / ".test-private")}  # noqa: F405
# The database backend, for the tests of its worker and of what the admin shows of it.
TASKS["database"] = {"BACKEND": "django_tasks_db.DatabaseBackend"}
