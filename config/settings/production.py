"""Production: base settings, hardened. Refuses to start without its required environment."""

import logging
import os

from django.core.exceptions import ImproperlyConfigured


def _require(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is required in production: {hint}")
    return value


_require("SECRET_KEY", "set it to 50 or more random characters.")
_require("ALLOWED_HOSTS", "set it to the comma-separated host names the site answers to.")
_require("EMAIL_URL", "set it to the mail server that sends password resets, e.g. smtp+tls://user:pass@host:587.")
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_FORMAT", "json")  # one JSON object per line, for the log collector
logging.captureWarnings(True)  # Python's warnings too, as log lines (logger py.warnings)

from core.deployment import per_process_cache_problem  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

DEBUG = False

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# A load balancer's plain-HTTP health check gets its answer, not a redirect to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# gunicorn reads WEB_CONCURRENCY for its number of workers; more than one needs a shared cache.
WEB_CONCURRENCY = env.int("WEB_CONCURRENCY", default=1)
_cache_problem = per_process_cache_problem(CACHES, WEB_CONCURRENCY)  # noqa: F405
if _cache_problem:
    raise ImproperlyConfigured(_cache_problem)

# Administrators and M&E officers sign in with a second factor.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
