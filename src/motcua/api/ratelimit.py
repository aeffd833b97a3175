"""Fixed-window rate limits kept in Django's cache.

A counter per (bucket, client, window) is created with `add` and raised with `incr`, both
atomic in the shared caches a multi-process deployment uses (Redis, Memcached, the database
cache); the default local-memory cache limits per process only. Clients are identified by
their address: `REMOTE_ADDR`, or the address the `MOTCUA_API_TRUSTED_PROXIES` nearest
proxies put in `X-Forwarded-For`."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from .conf import setting

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'10/minute' -> Rate(10, 60)."""
        count, _sep, period = text.partition("/")
        return cls(int(count), PERIODS[period.strip().rstrip("s")])


def setting_rate(name: str, default: str) -> Rate:
    return Rate.parse(setting(name, default))


def client_address(request: HttpRequest) -> str:
    proxies = int(setting("MOTCUA_API_TRUSTED_PROXIES", "0"))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(bucket: str, ident: str, rate: Rate, now: float) -> tuple[str, int]:
    window = int(now // rate.seconds)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    return f"motcua:api:rl:{bucket}:{digest}:{window}", retry_after


def hit(bucket: str, ident: str, rate: Rate, *, now: float | None = None) -> int | None:
    """Count one request; None when it is within `rate`, else the seconds to wait."""
    key, retry_after = _key(bucket, ident, rate, time.time() if now is None else now)
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    return retry_after if count > rate.count else None


def exhausted(bucket: str, ident: str, rate: Rate, *, now: float | None = None) -> int | None:
    """Without counting: the seconds to wait when `rate` is used up, else None."""
    key, retry_after = _key(bucket, ident, rate, time.time() if now is None else now)
    count = cache.get(key, 0)
    return retry_after if count >= rate.count else None
