"""The project's tunables outside `settings/`: each read on every call (so an override in
tests or settings takes effect at once) from the Django setting of the name, else the
environment variable (so a deployment sets it like DATABASE_URL), else the default."""

from __future__ import annotations

import json
import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


def json_setting(name: str, default: Any = None) -> Any:
    """A structured tunable: the Django setting of the name as it is (a list, a dict), else
    the environment variable parsed as JSON, else `default`. ImproperlyConfigured when the
    variable is not JSON."""
    value = getattr(settings, name, None)
    if value is not None:
        return value
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} is not JSON: {exc}") from exc
