"""The project's tunables outside `settings/`: each read on every call (so an override in
tests or settings takes effect at once) from the Django setting of the name, else the
environment variable (so a deployment sets it like DATABASE_URL), else the default."""

from __future__ import annotations

import os

from django.conf import settings


def setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)
