"""The test suite: same as production in behaviour, cheaper in password hashing."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests edit the calendar and compute deadlines in the same instant: always ask.
MOTCUA_CALENDAR_RECHECK_SECONDS = 0
MOTCUA_CATALOGUE_RECHECK_SECONDS = 0
