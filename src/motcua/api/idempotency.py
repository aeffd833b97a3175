"""`Idempotency-Key` on POSTs: a retried request gets the first answer and changes nothing.

The action and the record of its key `(user, key, request hash, response)` are written in
ONE transaction: the action runs, then the record is inserted. So the action is committed if
and only if its record is, and a process killed in between leaves nothing behind. The unique
(user, key) constraint is the arbiter: a concurrent twin waits at its own insert until the
first transaction ends; if the first committed, the twin's insert fails, its whole
transaction (its action included) rolls back and it replays the first answer; if the first
rolled back, the twin's work stands. A retry after the first committed does the same, or
meets the changed state (an action no longer allowed, say): on any failure the key's
committed record, if there is one, answers instead. Nothing is read before acting: the
first request, by far the commonest, costs one insert and no lookup.

A domain error (illegal action, bad input, ...) of a key not yet used rolls back everything,
so the same key may be used again.

A second request with the same key: the same method, path and JSON body (compared after
parsing, so spacing and key order do not matter) replays the stored status and body with
`Idempotent-Replayed: true`; a different one is `422 idempotency_key_reused`. Keys belong
to the user (whichever token or session they use)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel

from motcua import db
from motcua.integrations.models import IdempotencyRecord

from .auth import principal_of
from .errors import ApiError

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass
class Outcome:
    """A successful answer: status, body and extra headers. The body is a pydantic model
    (serialised by pydantic-core, the fast path) or any JSON-serialisable value."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def content(self) -> str:
        if isinstance(self.body, BaseModel):
            return self.body.model_dump_json()
        return json.dumps(self.body, ensure_ascii=False)


def respond(
    status: int, content: str, headers: dict[str, str], *, replayed: bool = False
) -> HttpResponse:
    response = HttpResponse(content, status=status, content_type="application/json; charset=utf-8")
    for name, value in headers.items():
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
    """The first answer again, byte for byte."""
    return respond(
        int(record.status_code or 200),
        record.response_body,
        dict(record.response_headers or {}),
        replayed=True,
    )


def _reused() -> ApiError:
    return ApiError(
        422,
        "idempotency_key_reused",
        _("This Idempotency-Key was already used for a different request."),
        {"field": HEADER},
    )


def _earlier_answer(user_id: int, key: str, digest: str) -> HttpResponse | None:
    """The committed answer of an earlier request with this key, if any."""
    existing = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
    if existing is None:
        return None
    if existing.request_hash != digest:
        raise _reused()
    return _replay(existing)


def run(request: HttpRequest, key: str | None, act: Callable[[], Outcome]) -> HttpResponse:
    """Answer a POST by `act()` (which raises on error), at most once per idempotency key."""
    if key is None:
        outcome = act()
        return respond(outcome.status, outcome.content(), outcome.headers)
    if not KEY_PATTERN.match(key):
        raise ApiError(
            422,
            "invalid_input",
            _("The Idempotency-Key must be 1 to 255 visible ASCII characters."),
            {"field": HEADER},
        )
    principal = principal_of(request)
    digest = request_digest(request)
    try:
        with db.all_or_nothing():
            outcome = act()
            content = outcome.content()
            now = timezone.now()
            db.insert(  # raises IntegrityError once an earlier request's record committed
                IdempotencyRecord(
                    user=principal.user,
                    token=principal.token,
                    key=key,
                    method=str(request.method),
                    path=request.path[:512],
                    request_hash=digest,
                    status_code=outcome.status,
                    response_body=content,
                    response_headers=outcome.headers,
                    created_at=now,
                    completed_at=now,
                )
            )
    except Exception:
        # Rolled back. A failure of a request whose key already has an answer gives that
        # answer: a retry, or a twin that lost the race at the insert or met the state the
        # first request left.
        answer = _earlier_answer(principal.user.pk, key, digest)
        if answer is None:
            raise
        return answer
    return respond(outcome.status, content, outcome.headers)


def purge(*, older_than: dt.datetime) -> int:
    """Forget finished records created before `older_than`; returns how many."""
    deleted, _by_model = IdempotencyRecord.objects.filter(
        created_at__lt=older_than, status_code__isnull=False
    ).delete()
    return deleted


def purge_job() -> str:
    """The hourly purge (see `integrations.jobs`): records older than 24 hours."""
    deleted = purge(older_than=timezone.now() - dt.timedelta(hours=24))
    return f"{deleted} idempotency record(s) deleted" if deleted else ""
