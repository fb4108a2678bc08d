"""Settings for every environment, read from the environment (django-environ).

Every default here is safe for production: DEBUG is off unless asked for, and a missing secret
fails loudly instead of falling back to something guessable. ``production.py`` only hardens this.
"""

from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; anything else must bring its own.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (50 or more random characters), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])


def database_from_url(url: str) -> dict:
    """Parse DATABASE_URL, refusing a malformed one with a message that says what is expected."""
    try:
        config = environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises several types for bad URLs
        raise ImproperlyConfigured(f"DATABASE_URL is malformed ({error}).") from error
    if not config.get("ENGINE") or "://" not in url:
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed: expected e.g. postgres://user:password@host:5432/name "
            "or sqlite:///path/to/db.sqlite3."
        )
    return config


DATABASES = {"default": database_from_url(env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "core.backends.sqlite3"  # Django's, with SQLite's real query limits
    # Concurrent writers wait for the lock instead of failing at once; IMMEDIATE makes every
    # transaction take the write lock at BEGIN, so read-then-write services cannot interleave.
    # Write-ahead logging: readers never wait for the writer, and a commit (the access log of every
    # person's page) appends to the log instead of rewriting pages of the database file; every
    # commit is still synced to disk (FULL), so none is lost in a power cut, except the lines of
    # the log of reads (core.transactions: they change no one's data).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "core.admin_config.MasarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "core.library_apps.SignInAttemptsConfig",  # django-axes, named for the admin
    "csp",
    "django_otp",
    "core.library_apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "core.library_apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_countries",
    "phonenumber_field",
    "django_tasks",
    "django_tasks_db",
    "core",
    "projects",
    "beneficiaries",
    "trainings",
    "workshops",
    "reports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A NUL byte or another control character in the URL is a 400 before anything reads it.
    "core.middleware.RejectControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An address without a language prefix opens in the language the reader chose, if not French.
    "core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Everything requires sign-in unless a view is explicitly marked public.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sessions end 12 hours after sign-in, however active; then the second factor, where required.
    "core.middleware.SessionLifetimeMiddleware",
    "core.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    "core.auth_backends.ModelBackend",  # Django's, permissions in one query
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# E-mail (password reset): printed on the console unless EMAIL_URL names a server, e.g.
# smtp+tls://user:password@smtp.example.org:587 (production requires it).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Masar <no-reply@masar.example>")
# A reset link works for three days at most, and once.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# A project's page is its public sheet, drawn by reports (above projects, so the model cannot name it).
ABSOLUTE_URL_OVERRIDES = {"projects.project": lambda project: reverse("reports:project-detail", args=[project.code])}
LOGOUT_REDIRECT_URL = "home"

# Internationalization: French is the default, English is complete.
LANGUAGE_CODE = "fr"
# Digits of numbers and amounts in Arabic: "latn" (0-9, as Moroccan institutions write them, CLDR's
# default for ar-MA) or "arab" (٠-٩, as in the Mashreq).
ARABIC_DIGITS = env.str("ARABIC_DIGITS", default="latn")
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("ar", _("Arabic"))]
# One date format per language (config/formats/en: "14 Nov 2026"); French keeps Django's.
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files of personal data waiting for a job or for their owner: an import between its preview and
    # its commit, a prepared export. Never served by the web server; on several hosts, a storage
    # they all reach (PRIVATE_STORAGE_BACKEND, e.g. django-storages' S3Storage, with its options as
    # JSON in PRIVATE_STORAGE_OPTIONS), never one host's disk.
    "private": {
        "BACKEND": env.str("PRIVATE_STORAGE_BACKEND", default="core.storage.PrivateFileSystemStorage"),
        "OPTIONS": env.json("PRIVATE_STORAGE_OPTIONS", default={"location": str(BASE_DIR / "var" / "private")}),
    },
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# A missing manifest entry falls back to the unhashed file instead of breaking the page (and the 500 page).
WHITENOISE_MANIFEST_STRICT = False
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://masar")}

# Background jobs (imports, large exports) through Django's tasks API. The database backend keeps
# a job in the same database and the same transaction as the row that asks for it, and its workers
# (manage.py db_worker, on any host) claim jobs with SELECT … SKIP LOCKED: one PostgreSQL serves
# several hosts without another service. TASKS_BACKEND may name another backend of the API.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A job whose counters have not moved for this long is offered to be started again (its worker
# stopped); the job itself makes sure that a second run writes nothing twice.
JOB_STALLED_AFTER_SECONDS = env.int("JOB_STALLED_AFTER_SECONDS", default=300)
# Exports of more rows than this are prepared by a job, as a file to download when ready.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=3000)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

PHONENUMBER_DEFAULT_REGION = "MA"
PHONENUMBER_DEFAULT_FORMAT = "E164"

# Sessions expire after 30 minutes without a request and 12 hours after sign-in whatever happens
# (core.middleware.SessionLifetimeMiddleware, which renews the session at most once a minute).
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
# Not on every request: core.middleware.SessionLifetimeMiddleware writes the session once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Five failed sign-ins lock the pair (username, address) for an hour, on the site and in the admin
# (django-axes): nobody can lock another person out from elsewhere, and one person's typos do not
# lock an office that shares one address. An address is also locked after AXES_IP_FAILURE_LIMIT
# failures across all usernames (guessing many accounts), high enough for a busy office.
AXES_FAILURE_LIMIT = 5
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.security.LockoutHandler"
# The client's address (core.security.client_ip): the connection's own, or, behind this many trusted
# proxies (a load balancer), the one the outermost of them saw in X-Forwarded-For. 0: no proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_RESET_ON_SUCCESS = True
# A sign-in refused during a lockout (of the pair, or of the address) is answered with the lockout
# page and does not restart the hour.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "core.security.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False  # core.security logs the events, as structured lines

# A second factor (TOTP, django-otp) for the roles that reach personal data in bulk. Production
# settings require it; the local demo does not.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
TWO_FACTOR_ROLES = ["administrator", "me_officer"]
OTP_TOTP_ISSUER = "Masar"

# No inline script anywhere: scripts come from our own static files only.
# The API (/api/v1/): tokens or the browser's session; JSON only (its documentation is the OpenAPI
# schema and Swagger UI, served from the sidecar package's files); pages by cursor; a rate per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        # The browser's session, for the documentation; a write through it needs the CSRF token.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
        "api.permissions.ModelPermissions",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env("API_RATE", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Masar API",
    "DESCRIPTION": "Projects, trainings, sessions, enrollments, attendance, workshops, the registry and "
    "published figures of the projects a user works on.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice list where several models call theirs "status".
    "ENUM_NAME_OVERRIDES": {
        "ConsentMethodEnum": "beneficiaries.models.Beneficiary.ConsentMethod",
        "BeneficiaryStatusEnum": "beneficiaries.models.Beneficiary.Status",
        "EnrollmentStatusEnum": "trainings.models.Enrollment.Status",
        "AttendanceStatusEnum": "trainings.models.Attendance.Status",
        "ProjectStatusEnum": "projects.models.Project.Status",
    },
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Style attributes (progress bars, the admin's widgets) need 'unsafe-inline'; scripts never do.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Spreadsheet imports: limits, and where an uploaded file waits between preview and commit.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5_000_000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10_000)
# Uploads beyond IMPORT_MAX_BYTES are refused before they are read; Django's own cap stays above it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Demo data (seed_demo: fictitious people, users with a known password) loads only with DEBUG on,
# into a development database: SQLite, or a PostgreSQL database named here, holding no real user.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="masar-demo")
DEMO_DATABASES = env.list("DEMO_DATABASES", default=[])

# Logs: each line once, on standard error, time in UTC (ISO 8601). JSON lines in production
# (LOG_FORMAT=json, its default there), "plain" text lines in development. Security events
# (masar.security) are JSON objects whatever the format, so that they can be searched.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "core.log_format.PlainLineFormatter"},
        "json": {"()": "core.log_format.JsonLineFormatter"},
    },
    "filters": {"expected_refusal": {"()": "core.log_format.ExpectedRefusal"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "plain"},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        "masar.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
        # Django's own handlers (a console in DEBUG) would print its lines a second time: they go
        # through the root's handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        # A request for another host name is a refusal the site expects (scanners send them all
        # day): a warning without a traceback, not an error.
        "django.security.DisallowedHost": {"handlers": [], "filters": ["expected_refusal"], "propagate": True},
        # django-axes writes lines of its own for each sign-in, failure and lockout; masar.security
        # records each of them (core.security): only its errors are kept.
        "axes": {"handlers": [], "level": "ERROR", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Disclosure control (reports.disclosure): a figure hidden as "…" must be uncertain, to a reader
# holding everything a release shows, over at least this many people (max − min).
DISCLOSURE_PROTECTION_WIDTH = env.int("DISCLOSURE_PROTECTION_WIDTH", default=5)
