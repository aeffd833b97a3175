"""Agencies by electronic code, as every intake that names its handling agency reads them.

Read once and kept per process (`motcua.caching`), like the catalogue
(`procedures/process.py`): an edit made in this process is seen at once (the agency's save
and delete signals forget it), one made by another process within
`MOTCUA_CATALOGUE_RECHECK_SECONDS` (default 5). A code that is not found is not remembered,
so an agency added since is found at once. The rows handed out are shared: read them, never
change them."""

from __future__ import annotations

from typing import Any

from motcua.caching import ProcessCache

from .models import Agency

# Far more than a province's agencies; past it the cache starts again rather than grow.
_by_code: ProcessCache[str, Agency] = ProcessCache(
    recheck_setting="MOTCUA_CATALOGUE_RECHECK_SECONDS", max_entries=20_000
)


def _read(code: str) -> Agency | None:
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        return None


def agency_by_code(code: str) -> Agency | None:
    """The agency whose electronic code is `code`, valid or not; None if there is none."""
    return _by_code.get(code, _read)


def forget(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: an agency changed in this process (its code may have, too)."""
    _by_code.clear()
