"""Per-process copies of rows that every reception reads and almost nobody edits: agencies
by code (`agencies.lookup`), a procedure version's process and the version in force
(`procedures.process`), when each agency's calendar was last checked
(`calendars.selectors`), and the sign-in provider's discovery document and keys
(`accounts.oidc`, for an hour).

Asking the database for them on every request would cost a query each for rows that
change a few times a year, so each process keeps what it read for the recheck interval, a
setting read on every call (so an override in tests or settings takes effect at once). An
edit made in this process is seen at once: the rows' save and delete signals call
`forget` or `clear`. One made by another process (another worker, the admin on another
machine) is seen within the interval. A value not found is not remembered, so a row added
elsewhere is found at once. Past `max_entries` the cache starts again rather than grow.

A hit costs a dict lookup, a `time.monotonic()` call and a comparison, as the hand-written
caches it replaces did. There is no lock: each dict operation is atomic under the GIL, and
two threads missing together both load, the last one's copy staying, which is harmless for
read-only copies. The values handed out are shared: read them, never change them."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar, overload

from django.conf import settings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ProcessCache(Generic[K, V]):
    """Values by key, each reused while `0 <= now - stamp < recheck seconds` (the first
    bound guards against a clock set back, as tests do; a zero or negative interval
    reuses nothing). The interval is the Django setting `recheck_setting`, else
    `recheck_default`."""

    __slots__ = ("_entries", "max_entries", "recheck_default", "recheck_setting")

    def __init__(
        self, *, recheck_setting: str, max_entries: int, recheck_default: float = 5
    ) -> None:
        self._entries: dict[K, tuple[float, V]] = {}
        self.recheck_setting = recheck_setting
        self.recheck_default = recheck_default
        self.max_entries = max_entries

    @overload
    def get(self, key: K, load: Callable[[K], V]) -> V: ...

    @overload
    def get(self, key: K, load: Callable[[K], V | None]) -> V | None: ...

    def get(self, key: K, load: Callable[[K], V | None]) -> V | None:
        """The value kept for `key` if read within the interval, else `load(key)`, kept
        unless it is None."""
        value = self.fresh(key)
        if value is not None:
            return value
        value = load(key)
        if value is None:
            self._entries.pop(key, None)
        else:
            self.put(key, value)
        return value

    def fresh(self, key: K) -> V | None:
        """The value kept for `key` if put within the interval, else None: for a caller
        whose loading is more than a function of the key."""
        entry = self._entries.get(key)
        if entry is not None and 0 <= time.monotonic() - entry[0] < float(
            getattr(settings, self.recheck_setting, self.recheck_default)
        ):
            return entry[1]
        return None

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `key` from now."""
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic(), value)

    def forget(self, key: K) -> None:
        """Drop what is kept for `key`, if anything."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop everything kept."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
