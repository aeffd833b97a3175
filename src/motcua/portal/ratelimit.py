"""Fixed-window rate limits for public portal pages (the dossier lookup), in Django's cache.

The API has the same mechanism in `motcua.api.ratelimit`, but the layer rules keep the
portal from importing the API (they are sibling interfaces); this is the minimal
equivalent. A counter per (bucket, client, window) is created with `add` and raised with
`incr`, both atomic in the shared caches (Redis) of a multi-process deployment."""

from __future__ import annotations

import hashlib
import math
import time
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
        """'10/minute' -> Rate(10, 60), from settings `name` or `default`."""
        count, _sep, period = str(getattr(settings, name, default)).partition("/")
        return cls(int(count), PERIODS[period.strip().rstrip("s")])


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the `MOTCUA_TRUSTED_PROXIES` nearest proxies added to
    X-Forwarded-For (never trust the header without a known proxy in front)."""
    proxies = int(getattr(settings, "MOTCUA_TRUSTED_PROXIES", 0))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies > 0 and hops:
        return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(bucket: str, ident: str, rate: Rate, now: float) -> tuple[str, int]:
    window = int(now // rate.seconds)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"motcua:portal:rl:{bucket}:{digest}:{window}", max(
        1, math.ceil((window + 1) * rate.seconds - now)
    )


def hit(bucket: str, ident: str, rate: Rate) -> int | None:
    """Count one request; None when within `rate`, else the seconds to wait."""
    key, retry_after = _key(bucket, ident, rate, time.time())
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        count = 1
    return retry_after if count > rate.count else None


def exhausted(bucket: str, ident: str, rate: Rate) -> int | None:
    """Without counting: the seconds to wait when `rate` is used up, else None."""
    key, retry_after = _key(bucket, ident, rate, time.time())
    return retry_after if cache.get(key, 0) >= rate.count else None
