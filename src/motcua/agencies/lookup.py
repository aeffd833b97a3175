"""Agencies by electronic code, as every intake that names its handling agency reads them.

Read once and kept per process, like the catalogue (`procedures/process.py`): an edit made
in this process is seen at once (the agency's save and delete signals forget it), one made
by another process within `MOTCUA_CATALOGUE_RECHECK_SECONDS` (default 5). A code that is
not found is not remembered, so an agency added since is found at once. The rows handed out
are shared: read them, never change them."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

from .models import Agency

_by_code: dict[str, tuple[float, Agency]] = {}
# Far more than a province's agencies; past it the cache starts again rather than grow.
_MAX_ENTRIES = 20_000


def _recheck_seconds() -> float:
    return float(getattr(settings, "MOTCUA_CATALOGUE_RECHECK_SECONDS", 5))


def agency_by_code(code: str) -> Agency | None:
    """The agency whose electronic code is `code`, valid or not; None if there is none."""
    cached = _by_code.get(code)
    if cached is not None and 0 <= time.monotonic() - cached[0] < _recheck_seconds():
        return cached[1]
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        _by_code.pop(code, None)
        return None
    if len(_by_code) >= _MAX_ENTRIES:
        _by_code.clear()
    _by_code[code] = (time.monotonic(), agency)
    return agency


def forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: an agency changed in this process (its code may have, too)."""
    _by_code.clear()
