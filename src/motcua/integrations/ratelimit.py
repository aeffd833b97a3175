"""Rate limits in Django's cache, one mechanism for every interface (API, portal, sign-in,
back office login).

A sliding-window counter: requests are counted per (bucket, subject, fixed window), and the
estimate at a moment weighs the previous window by the share of it still inside the sliding
window: `previous * (1 - elapsed / length) + current`. Unlike plain fixed windows, a burst
at the end of one window and another at the start of the next cannot pass twice the rate.
Counters are created with `add` and raised with `incr`, both atomic in the shared caches of a
multi-process deployment (Redis through `CACHE_URL`); the default local-memory cache counts
per process only. The estimate spreads a window's requests evenly over it, so a client that
sent a burst may be told to wait into the next window (at most two window lengths in all).
Subjects are hashed: no address or identifier is stored in clear."""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from motcua.conf import setting

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_PREFIX = "motcua:rl"


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'10/minute' -> Rate(10, 60); '5/15minutes' -> Rate(5, 900)."""
        count, _sep, period = text.partition("/")
        period = period.strip().rstrip("s")
        digits = "".join(ch for ch in period if ch.isdigit())
        unit = period[len(digits) :]
        return cls(int(count), int(digits or 1) * PERIODS[unit])

    @classmethod
    def from_setting(cls, name: str, default: str) -> Rate:
        return cls.parse(setting(name, default))


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address that the `MOTCUA_TRUSTED_PROXIES` nearest proxies put in
    X-Forwarded-For (the header is never believed without a known proxy in front: anyone
    could otherwise choose their own counter)."""
    proxies = int(setting("MOTCUA_TRUSTED_PROXIES", "0"))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies > 0 and hops:
        return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


@dataclass(frozen=True)
class _Window:
    current_key: str
    previous_key: str
    elapsed: float  # seconds since the current fixed window began
    rate: Rate

    def estimate(self, previous: int, current: int) -> float:
        weight = 1.0 - self.elapsed / self.rate.seconds
        return previous * weight + current

    def has_room(self, previous: int, current: int) -> bool:
        """Whether one more request keeps the estimate within the rate."""
        return self.estimate(previous, current) + 1 <= self.rate.count

    def wait(self, previous: int, current: int) -> int:
        """Whole seconds until there is room for one more request."""
        length, most = self.rate.seconds, self.rate.count - 1
        left = length - self.elapsed
        if current <= most and previous > 0:
            # Within this window: previous * (1 - (elapsed + t) / length) + current <= most.
            t = length * (1.0 - (most - current) / previous) - self.elapsed
            if t < left:
                return max(1, math.ceil(t))
        # In the next window, this window's count is the one weighed down.
        later = length * (1.0 - most / current) if current > most else 0.0
        return max(1, math.ceil(left + later))


def _window(bucket: str, subject: str, rate: Rate, now: float | None) -> _Window:
    moment = time.time() if now is None else now
    index = int(moment // rate.seconds)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    base = f"{_PREFIX}:{bucket}:{rate.seconds}:{digest}"
    return _Window(f"{base}:{index}", f"{base}:{index - 1}", moment - index * rate.seconds, rate)


def _counts(window: _Window) -> tuple[int, int]:
    found = cache.get_many([window.previous_key, window.current_key])
    return int(found.get(window.previous_key, 0)), int(found.get(window.current_key, 0))


def hit(bucket: str, subject: str, rate: Rate, *, now: float | None = None) -> int | None:
    """Count one request; None when it is within `rate`, else the seconds to wait. A refused
    request is not counted, so a client that waits as told gets through."""
    window = _window(bucket, subject, rate, now)
    timeout = 2 * rate.seconds + 1  # kept while it can weigh in the next window
    cache.add(window.current_key, 0, timeout=timeout)
    try:
        current = int(cache.incr(window.current_key))
    except ValueError:  # evicted between add and incr
        cache.set(window.current_key, 1, timeout=timeout)
        current = 1
    previous = int(cache.get(window.previous_key, 0))
    if window.has_room(previous, current - 1):
        return None
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing left to give back
        cache.decr(window.current_key)
    return window.wait(previous, current - 1)


def exhausted(bucket: str, subject: str, rate: Rate, *, now: float | None = None) -> int | None:
    """Without counting: the seconds to wait when `rate` is used up, else None."""
    window = _window(bucket, subject, rate, now)
    previous, current = _counts(window)
    if window.has_room(previous, current):
        return None
    return window.wait(previous, current)


def reset(bucket: str, subject: str, rate: Rate, *, now: float | None = None) -> None:
    """Forget the subject's counts (a successful sign-in clears its failures)."""
    window = _window(bucket, subject, rate, now)
    cache.delete_many([window.previous_key, window.current_key])
