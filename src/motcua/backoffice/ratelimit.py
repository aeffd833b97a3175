"""Sign-in failures counted per username and client address (the shared limiter in
`motcua.integrations.ratelimit`): after `LOGIN_FAILURES` failures within its window the pair
is refused until the count falls again; a successful sign-in clears it."""

from __future__ import annotations

from django.http import HttpRequest

from motcua.integrations import ratelimit

LOGIN_FAILURES = ratelimit.Rate(count=5, seconds=15 * 60)
_BUCKET = "office-login"


def _subject(username: str, request: HttpRequest) -> str:
    # REMOTE_ADDR only: behind a proxy the deployment sets it right, and believing
    # X-Forwarded-For here would let anyone pick their own counter.
    return f"{username.strip().casefold()}|{request.META.get('REMOTE_ADDR', '')}"


def locked_for(username: str, request: HttpRequest) -> int | None:
    """Seconds until this username may try again from this address, or None."""
    return ratelimit.exhausted(_BUCKET, _subject(username, request), LOGIN_FAILURES)


def record_failure(username: str, request: HttpRequest) -> None:
    ratelimit.hit(_BUCKET, _subject(username, request), LOGIN_FAILURES)


def reset(username: str, request: HttpRequest) -> None:
    ratelimit.reset(_BUCKET, _subject(username, request), LOGIN_FAILURES)
