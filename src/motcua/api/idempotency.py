"""`Idempotency-Key` on POSTs: a retried request gets the first answer and changes nothing.

1. Claim: insert `IdempotencyRecord(user, key, request hash, claim)` and commit at once. The
   unique (user, key) constraint makes a concurrent twin fail here instead of acting.
2. Act: run the action and write its response into the record in ONE transaction, the
   write guarded by our claim. So the action is committed if and only if its response is:
   a process killed in between leaves a claim with no effect, which a retry may take over
   once its lease has run out (and a slow original then finds its claim gone and rolls
   back instead of acting twice).
3. A domain error (illegal action, bad input, ...) changed nothing: the claim is dropped,
   and the same key may be used again.

A second request with the same key: the same method, path and JSON body (compared after
parsing, so spacing and key order do not matter) replays the stored status and body with
`Idempotent-Replayed: true`; a different one is `422 idempotency_key_reused`; one that
arrives while the first is still running waits a little, then gets `409
request_in_progress`. Keys belong to the user (whichever token or session they use)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.integrations.models import IdempotencyRecord

from .auth import principal_of
from .conf import setting
from .errors import ApiError

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass
class Outcome:
    """A successful answer: status, JSON body and extra headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class _ClaimLost(Exception):
    pass


def _lease() -> dt.timedelta:
    """How long a claim without an answer is presumed alive (the longest a POST may run)."""
    return dt.timedelta(seconds=float(setting("MOTCUA_API_IDEMPOTENCY_LEASE", "60")))


def _wait_seconds() -> float:
    """How long a retry waits for its twin still running before answering 409."""
    return float(setting("MOTCUA_API_IDEMPOTENCY_WAIT", "1"))


def respond(outcome: Outcome, *, replayed: bool = False) -> HttpResponse:
    response = HttpResponse(
        json.dumps(outcome.body, ensure_ascii=False),
        status=outcome.status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in outcome.headers.items():
        response[name] = value
    if replayed:
        response[REPLAYED_HEADER] = "true"
    return response


def request_digest(request: HttpRequest) -> str:
    """Method, path and body, the body canonicalised as JSON when it is JSON."""
    raw = request.body
    try:
        body = json.dumps(
            json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:
        body = raw
    hasher = hashlib.sha256()
    for part in (str(request.method).encode(), request.path.encode(), body):
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    stored = record.response or {}
    outcome = Outcome(
        status=int(record.status_code or 200),
        body=stored.get("body"),
        headers=dict(stored.get("headers") or {}),
    )
    return respond(outcome, replayed=True)


def _reused() -> ApiError:
    return ApiError(
        422,
        "idempotency_key_reused",
        _("This Idempotency-Key was already used for a different request."),
        {"field": HEADER},
    )


def _in_progress() -> ApiError:
    return ApiError(
        409,
        "request_in_progress",
        _("A request with this Idempotency-Key is still being handled; retry shortly."),
        {"field": HEADER},
        headers={"Retry-After": "1"},
    )


def _claim(request: HttpRequest, key: str, digest: str) -> IdempotencyRecord | HttpResponse:
    """Our claim on `key`, or the response to give instead of acting."""
    principal = principal_of(request)
    deadline = time.monotonic() + _wait_seconds()
    pause = 0.02
    while True:
        now = timezone.now()
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=principal.user,
                    token=principal.token,
                    key=key,
                    method=str(request.method),
                    path=request.path[:512],
                    request_hash=digest,
                    claim=uuid.uuid4().hex,
                    created_at=now,
                )
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=principal.user, key=key).first()
        if existing is not None:  # else it was released meanwhile: claim again
            if existing.request_hash != digest:
                raise _reused()
            if existing.status_code is not None:
                return _replay(existing)
            if existing.created_at <= now - _lease():
                # The first attempt died without committing anything: take its claim over.
                claim = uuid.uuid4().hex
                taken = IdempotencyRecord.objects.filter(
                    pk=existing.pk, claim=existing.claim, status_code__isnull=True
                ).update(claim=claim, created_at=now, token=principal.token)
                if taken:
                    existing.claim = claim
                    return existing
        if time.monotonic() >= deadline:
            raise _in_progress()
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def run(request: HttpRequest, key: str | None, act: Callable[[], Outcome]) -> HttpResponse:
    """Answer a POST by `act()` (which raises on error), at most once per idempotency key."""
    if key is None:
        return respond(act())
    if not KEY_PATTERN.match(key):
        raise ApiError(
            422,
            "invalid_input",
            _("The Idempotency-Key must be 1 to 255 visible ASCII characters."),
            {"field": HEADER},
        )
    claimed = _claim(request, key, request_digest(request))
    if isinstance(claimed, HttpResponse):
        return claimed
    record = claimed
    try:
        with transaction.atomic():
            outcome = act()
            stored = IdempotencyRecord.objects.filter(
                pk=record.pk, claim=record.claim, status_code__isnull=True
            ).update(
                status_code=outcome.status,
                response={"body": outcome.body, "headers": outcome.headers},
                completed_at=timezone.now(),
            )
            if not stored:
                raise _ClaimLost
    except _ClaimLost:
        # Another attempt took the key over after our lease ran out; our work is undone.
        current = IdempotencyRecord.objects.filter(pk=record.pk).first()
        if current is not None and current.status_code is not None:
            return _replay(current)
        raise _in_progress() from None
    except BaseException:
        IdempotencyRecord.objects.filter(
            pk=record.pk, claim=record.claim, status_code__isnull=True
        ).delete()
        raise
    return respond(outcome)


def purge(*, older_than: dt.datetime) -> int:
    """Forget finished records created before `older_than`; returns how many."""
    deleted, _by_model = IdempotencyRecord.objects.filter(
        created_at__lt=older_than, status_code__isnull=False
    ).delete()
    return deleted
