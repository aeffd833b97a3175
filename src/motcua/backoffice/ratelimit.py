"""Sign-in attempts counted per username and client address in the cache: after
`MAX_FAILURES` failures in `WINDOW_SECONDS` the pair is locked until the window ends."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}|{ip}".encode()).hexdigest()
    return f"backoffice:login:{digest[:32]}"


def client_ip(request: HttpRequest) -> str:
    # Behind a proxy the deployment sets REMOTE_ADDR right (trusting X-Forwarded-For
    # here would let anyone pick their own bucket).
    return str(request.META.get("REMOTE_ADDR", ""))


def is_locked(username: str, ip: str) -> bool:
    return int(cache.get(_key(username, ip), 0)) >= MAX_FAILURES


def record_failure(username: str, ip: str) -> None:
    key = _key(username, ip)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)


def reset(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
