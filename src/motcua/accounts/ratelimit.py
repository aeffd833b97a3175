"""Fixed-window counters in Django's cache for sign-in (per identifier, per client address).

A counter per (bucket, subject, window) is created with `add` and raised with `incr`, both
atomic in a shared cache (Redis, `CACHE_URL`) so every worker process counts together. The
portal and the API have the same mechanism; the layer rules keep each app to its own copy."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def from_setting(cls, name: str, default: str) -> Rate:
        """'10/hour' -> Rate(10, 3600), from the setting `name` or `default`."""
        count, _sep, period = str(getattr(settings, name, default)).partition("/")
        return cls(int(count), PERIODS[period.strip().rstrip("s")])


def hit(bucket: str, subject: str, rate: Rate, *, now: float) -> int | None:
    """Count one event; None while within `rate`, else the seconds until the window ends."""
    window = int(now // rate.seconds)
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    key = f"motcua:accounts:rl:{bucket}:{digest}:{window}"
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    return retry_after if count > rate.count else None


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the `MOTCUA_TRUSTED_PROXIES` nearest proxies added to
    X-Forwarded-For (the header is never trusted without a known proxy in front)."""
    proxies = int(getattr(settings, "MOTCUA_TRUSTED_PROXIES", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies > 0 and hops:
        return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))
