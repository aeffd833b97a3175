"""Settings shared by every environment. Everything a deployment changes comes from the
environment (12-factor); the defaults here are the embedded SQLite set-up used by `make run`."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Where runtime state (the embedded database, uploaded files) lives; outside the source tree
# when installed, `./var` in a checkout.
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-dev-only-key-set-SECRET_KEY-in-the-environment"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",  # serves the API docs' scripts locally (no CDN: works offline)
    "motcua.agencies",
    "motcua.accounts",
    "motcua.calendars",
    "motcua.procedures",
    "motcua.integrations",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.feedback",
    "motcua.national",
    "motcua.postal",
    "motcua.printing",
    "motcua.reports",
    "motcua.api",
    "motcua.backoffice",
    "motcua.portal",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.dossiers.middleware.ScopesRememberedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _pg_prepared_statements() -> dict[str, object]:
    """Server-side binding with prepared statements: psycopg prepares a statement once a
    connection has run it PG_PREPARE_THRESHOLD times (default 5), and PostgreSQL stops
    parsing and planning it anew. Measured on an API reception (bench/profile_reception.py):
    PostgreSQL's CPU 30 % lower, the worker's Python 8 % (no quoting of values in Python).
    `PG_PREPARE_THRESHOLD=off` goes back to Django's default, values quoted into the SQL by
    the client: needed behind a pooler that cannot keep prepared statements (PgBouncer in
    transaction mode before 1.21, or without max_prepared_statements)."""
    threshold = os.environ.get("PG_PREPARE_THRESHOLD", "5").strip().lower()
    if threshold in {"off", "none", "0", ""}:
        return {}
    return {"server_side_binding": True, "prepare_threshold": int(threshold)}


def database_from_url(url: str) -> dict[str, object]:
    """Parse DATABASE_URL, and give SQLite the settings a multi-user embedded deployment
    needs: WAL so readers never block the writer, IMMEDIATE transactions so two writers
    queue on the busy timeout instead of failing with 'database is locked' mid-transaction."""
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config["NAME"])
        if name and name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
        # PostgreSQL's JIT compiles the reports' aggregations anew on every run: measured, it
        # cost more than the queries themselves (766 index 1.56 s with it, 0.29 s without).
        config["OPTIONS"] = {"options": "-c jit=off", **_pg_prepared_statements()}
    return config


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits and other shared counters need a cache all worker processes see: set
# CACHE_URL=redis://host:6379/1 in a multi-process deployment. The default is per process.
_cache_url = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url.startswith(("redis://", "rediss://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the project's own, outside any app
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "accounts:login"  # applicants; the back office sends officers to its own

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each rendering step at INFO; only its warnings are worth a line.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# How often each process asks whether an agency's calendar was edited (seconds).
MOTCUA_CALENDAR_RECHECK_SECONDS = float(os.environ.get("MOTCUA_CALENDAR_RECHECK_SECONDS", "5"))
# How long each process keeps a procedure version's steps and channels (seconds).
MOTCUA_CATALOGUE_RECHECK_SECONDS = float(os.environ.get("MOTCUA_CATALOGUE_RECHECK_SECONDS", "5"))
# Uploads: the most bytes per file and files per dossier action or complaint.
MOTCUA_DOSSIER_MAX_FILE_BYTES = int(os.environ.get("MOTCUA_DOSSIER_MAX_FILE_BYTES", 20 * 2**20))
MOTCUA_DOSSIER_MAX_FILES = int(os.environ.get("MOTCUA_DOSSIER_MAX_FILES", "30"))
MOTCUA_FEEDBACK_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("MOTCUA_FEEDBACK_MAX_ATTACHMENT_BYTES", 10 * 2**20)
)
MOTCUA_FEEDBACK_MAX_ATTACHMENTS = int(os.environ.get("MOTCUA_FEEDBACK_MAX_ATTACHMENTS", "5"))
# The longest a transaction recording a dossier event may run (seconds): the report facts'
# refresh waits that long for an event id it found missing (committed late, or rolled back),
# and reports count on the facts only for periods that ended that long before a refresh.
MOTCUA_FACTS_SETTLE_SECONDS = float(os.environ.get("MOTCUA_FACTS_SETTLE_SECONDS", "300"))
# E-mail notices (`integrations.notifications`, http backend) go through this SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# How many days an applicant may change their rating of a dossier.
MOTCUA_RATING_CHANGE_DAYS = int(os.environ.get("MOTCUA_RATING_CHANGE_DAYS", "7"))
# Where `motcua import-procedures` and the tests find the national catalogue export when no
# path is given.
MOTCUA_SHARED_DATA_DIR = Path(
    os.environ.get("MOTCUA_SHARED_DATA_DIR", Path.cwd().parent / "shared" / "data")
)
