"""Delivering the outbox to the systems and people that subscribe to it.

A change writes its outbox messages in its own transaction (`services.outbox_enqueue`); the
worker (`motcua deliver-outbox`) then hands each one to every destination whose topics
match, at least once:

- It takes due messages in the order they fall due, with `SELECT ... FOR UPDATE SKIP LOCKED`
  on PostgreSQL so that several workers share the queue, and moves each one's next attempt
  a lease ahead (`MOTCUA_OUTBOX_LEASE_SECONDS`, 300) before sending, outside any
  transaction. A worker that dies mid-send leaves the message to be taken again once the
  lease ends; so receivers must drop a message whose `Idempotency-Key` they have seen.
- A destination that took the message is recorded and never sent it again, unless an
  administrator sends a delivered message again.
- A failure that may pass (a network error, a timeout, HTTP 5xx, 408 or 429) is retried
  after a delay that doubles from `MOTCUA_OUTBOX_RETRY_SECONDS` (30) up to an hour; after
  `MOTCUA_OUTBOX_MAX_ATTEMPTS` (20, about 15 hours) or at once on a final refusal (any
  other 4xx: the request itself is wrong), delivery is given up and the message waits in
  the admin, which can send it again. A destination that failed in a pass is not tried
  again in it: the messages it skips wait for the next pass with their attempts unspent.
- Messages are not ordered across retries: each payload carries its moment (`at`) and the
  state it reports, so a receiver keeps the newest.

Destinations are motcua's own, which the apps declare (`AppConfig.outbox_destinations`: the
dossiers' and the complaints' notices to people by SMS and e-mail, see `notices`), and the
webhooks set in `MOTCUA_OUTBOX_WEBHOOKS` (a Django setting, else the environment
variable), a JSON list of objects: `name` (unique, kept in `delivered_to`), `url` (http or
https), `secret` (shared, for the signature), `topics` (shell-style patterns such as
`dossier.*`; all topics when missing), `timeout` (seconds, 10) and `personal_data` (true
to receive people's contact details, such as a complaint's submitter's; left out otherwise).

The request: `POST <url>` with body `{"id", "key", "topic", "created_at", "payload"}` and
headers `Content-Type: application/json`, `Idempotency-Key: <key>`, `X-Motcua-Topic` and
`X-Motcua-Signature: sha256=<hex HMAC-SHA256 of the body>`, as for the SMS gateway (see
`notifications`). A bridge turns it into the national portal's or a ministry's own protocol.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.conf import json_setting, setting

from .models import PENDING, OutboxMessage
from .notifications import DeliveryFailed, signed_post

logger = logging.getLogger(__name__)

# Payload keys that carry a person's contact details (a complaint's submitter: `to`), for
# the notifications; a webhook gets them only when set with `personal_data` (Decree 13/2023).
PERSONAL_KEYS = frozenset({"to"})
MAX_RETRY_DELAY = dt.timedelta(hours=1)
MAX_ERROR_LENGTH = 2000


class Destination(Protocol):
    """A system that receives outbox messages."""

    @property
    def name(self) -> str: ...

    def accepts(self, topic: str) -> bool: ...

    def send(self, message: OutboxMessage) -> None:
        """Hand the message over; raise `DeliveryFailed` when it was not taken."""


@dataclass(frozen=True)
class Endpoint:
    """Where a destination posts: an http(s) URL and the shared secret."""

    url: str
    secret: str
    timeout: float = 10.0

    def post(
        self,
        payload: dict[str, Any],
        *,
        key: str,
        user_agent: str,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        """POST `payload`, signed and keyed (`signed_post`); the answer's body. Raises
        `DeliveryFailed`."""
        return signed_post(
            self.url,
            payload,
            secret=self.secret,
            key=key,
            timeout=self.timeout,
            user_agent=user_agent,
            headers=headers,
        )


@dataclass(frozen=True)
class Webhook:
    name: str
    url: str
    secret: str
    topics: tuple[str, ...] = ("*",)
    timeout: float = 10.0
    personal_data: bool = False

    def accepts(self, topic: str) -> bool:
        return any(fnmatch.fnmatchcase(topic, pattern) for pattern in self.topics)

    def payload(self, message: OutboxMessage) -> Any:
        """What this webhook may learn: without `personal_data`, no one's contact details."""
        if self.personal_data or not isinstance(message.payload, dict):
            return message.payload
        return {k: v for k, v in message.payload.items() if k not in PERSONAL_KEYS}

    def send(self, message: OutboxMessage) -> None:
        Endpoint(self.url, self.secret, self.timeout).post(
            {
                "id": message.pk,
                "key": message.key,
                "topic": message.topic,
                "created_at": timezone.localtime(message.created_at).isoformat(),
                "payload": self.payload(message),
            },
            key=message.key,
            user_agent="motcua-outbox/1",
            headers={"X-Motcua-Topic": message.topic},
        )


def app_destinations() -> list[Destination]:
    """The destinations the installed apps declare (`AppConfig.outbox_destinations`: dotted
    paths of functions that build one, or None when the deployment has not set it up), such
    as the applicant's notices of the dossiers."""
    found: list[Destination] = []
    for config in apps.get_app_configs():
        for path in getattr(config, "outbox_destinations", ()):
            build: Callable[[], Destination | None] = import_string(path)
            destination = build()
            if destination is not None:  # not set up in this deployment
                found.append(destination)
    return found


def every_destination() -> list[Destination]:
    """Every destination: the apps' and the webhooks of the settings; names are unique."""
    found = [*app_destinations(), *webhooks()]
    names = [d.name for d in found]
    clash = sorted({name for name in names if names.count(name) > 1})
    if clash:
        raise ImproperlyConfigured(
            f"MOTCUA_OUTBOX_WEBHOOKS: the name(s) {', '.join(clash)} are taken by motcua's own "
            "destinations."
        )
    return found


def endpoint(name: str) -> Endpoint | None:
    """The endpoint the setting `name` holds (a JSON object: `url`, `secret`, `timeout`
    in seconds, 10 by default), None when it is not set."""
    config = json_setting(name)
    if config is None:
        return None
    if not isinstance(config, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object.")
    url, secret = str(config.get("url", "")).strip(), str(config.get("secret", ""))
    if not url.startswith(("https://", "http://")) or not secret:
        raise ImproperlyConfigured(f"{name} needs an http(s) url and a secret.")
    return Endpoint(url=url, secret=secret, timeout=float(config.get("timeout", 10)))


def webhooks() -> list[Webhook]:
    """The destinations the settings name (see the module docstring)."""
    configured = json_setting("MOTCUA_OUTBOX_WEBHOOKS", [])
    if not isinstance(configured, list):
        raise ImproperlyConfigured("MOTCUA_OUTBOX_WEBHOOKS must be a list of objects.")
    found: list[Webhook] = []
    for entry in configured:
        found.append(_webhook(entry))
    names = [hook.name for hook in found]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured("MOTCUA_OUTBOX_WEBHOOKS: each name must be unique.")
    return found


def _webhook(entry: Any) -> Webhook:
    if not isinstance(entry, dict):
        raise ImproperlyConfigured("MOTCUA_OUTBOX_WEBHOOKS must be a list of objects.")
    name, url = str(entry.get("name", "")).strip(), str(entry.get("url", "")).strip()
    if not name or len(name) > 64:
        raise ImproperlyConfigured("MOTCUA_OUTBOX_WEBHOOKS: each needs a name of 1-64 chars.")
    if not url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"MOTCUA_OUTBOX_WEBHOOKS: {name}'s url must be http(s).")
    if not entry.get("secret"):
        raise ImproperlyConfigured(f"MOTCUA_OUTBOX_WEBHOOKS: {name} needs a secret.")
    topics = entry.get("topics") or ["*"]
    if isinstance(topics, str) or not all(isinstance(t, str) and t for t in topics):
        raise ImproperlyConfigured(f"MOTCUA_OUTBOX_WEBHOOKS: {name}'s topics: a list of text.")
    return Webhook(
        name=name,
        url=url,
        secret=str(entry["secret"]),
        topics=tuple(topics),
        timeout=float(entry.get("timeout", 10)),
        personal_data=entry.get("personal_data") is True,
    )


@dataclass
class Policy:
    lease: dt.timedelta
    first_retry: dt.timedelta
    max_attempts: int

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            lease=dt.timedelta(seconds=float(setting("MOTCUA_OUTBOX_LEASE_SECONDS", "300"))),
            first_retry=dt.timedelta(seconds=float(setting("MOTCUA_OUTBOX_RETRY_SECONDS", "30"))),
            max_attempts=max(1, int(setting("MOTCUA_OUTBOX_MAX_ATTEMPTS", "20"))),
        )

    def retry_delay(self, attempts: int) -> dt.timedelta:
        """The wait after the `attempts`-th failed attempt (1-based)."""
        return min(self.first_retry * (1 << min(attempts - 1, 20)), MAX_RETRY_DELAY)


@dataclass
class Report:
    """What one pass did, by message."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def taken(self) -> int:
        return self.delivered + self.retrying + self.failed

    def __str__(self) -> str:
        return f"{self.delivered} delivered, {self.retrying} to retry, {self.failed} given up"

    def add(self, other: Report) -> None:
        self.delivered += other.delivered
        self.retrying += other.retrying
        self.failed += other.failed
        self.errors.extend(other.errors)


def _pending(now: dt.datetime) -> Any:
    return OutboxMessage.objects.filter(PENDING, next_attempt_at__lte=now)


def take(*, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[OutboxMessage]:
    """Up to `limit` due messages, each leased to this worker until `now + lease`."""
    with transaction.atomic():
        queue = _pending(now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            queue = queue.select_for_update(skip_locked=True)
        messages = list(queue[:limit])
        if messages:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
                next_attempt_at=now + lease
            )
    return messages


def deliver(
    message: OutboxMessage,
    destinations: Sequence[Destination],
    *,
    now: dt.datetime,
    policy: Policy,
    down: set[str] | None = None,
) -> str:
    """Send `message` to each matching destination that has not taken it yet, record the
    outcome, and return the message's state: delivered, pending (to retry) or failed.

    `down` holds the destinations that failed in this pass (and gains those that fail
    now): they are not tried again in it, so a destination that is away costs one timeout
    per pass, not one per message, and the messages it skips keep their attempts."""
    down = set() if down is None else down
    errors: list[str] = []
    final = False
    tried = False
    due = [
        hook
        for hook in destinations
        if hook.accepts(message.topic) and hook.name not in message.delivered_to
    ]
    for hook in due:
        if hook.name in down:
            errors.append(f"{hook.name}: not tried, it failed earlier in this pass")
            continue
        tried = True
        try:
            hook.send(message)
        except DeliveryFailed as exc:
            errors.append(f"{hook.name}: {exc.reason}")
            final = final or exc.final
            if not exc.final:
                down.add(hook.name)
            logger.warning("Outbox %s to %s failed: %s", message.key, hook.name, exc.reason)
        else:
            message.delivered_to = [*message.delivered_to, hook.name]
    if tried:
        message.attempts += 1
    message.last_error = "; ".join(errors)[:MAX_ERROR_LENGTH]
    if not errors:
        message.delivered_at = now
    elif final or message.attempts >= policy.max_attempts:
        message.failed_at = now
    else:
        message.next_attempt_at = now + policy.retry_delay(max(1, message.attempts))
    message.save(
        update_fields=[
            "delivered_to",
            "attempts",
            "last_error",
            "delivered_at",
            "failed_at",
            "next_attempt_at",
        ]
    )
    return message.state


def deliver_due(
    *,
    now: dt.datetime | None = None,
    limit: int = 100,
    destinations: Sequence[Destination] | None = None,
    policy: Policy | None = None,
    down: set[str] | None = None,
) -> Report:
    """One pass: take up to `limit` due messages and deliver them. Each outcome is dated
    when it happens (or at `now`, when given, as tests do). `down`: see `deliver`."""
    clock = timezone.now if now is None else (lambda: now)
    policy = policy or Policy.from_settings()
    hooks: Sequence[Destination] = every_destination() if destinations is None else destinations
    report = Report()
    down = set() if down is None else down
    for message in take(now=clock(), limit=limit, lease=policy.lease):
        state = deliver(message, hooks, now=clock(), policy=policy, down=down)
        if state == "delivered":
            report.delivered += 1
        elif state == "failed":
            report.failed += 1
            report.errors.append(f"{message.key}: {message.last_error}")
        else:
            report.retrying += 1
    return report


def send_again(messages: Iterable[OutboxMessage], *, now: dt.datetime) -> int:
    """An administrator's re-send: a given-up message goes to the destinations that have not
    taken it, a delivered one to every destination again; both at once, with a fresh count
    of attempts. Returns how many were queued."""
    count = 0
    for message in messages:
        if message.delivered_at is not None:
            message.delivered_to = []
        message.delivered_at = None
        message.failed_at = None
        message.attempts = 0
        message.next_attempt_at = now
        message.save(
            update_fields=[
                "delivered_to",
                "delivered_at",
                "failed_at",
                "attempts",
                "next_attempt_at",
            ]
        )
        count += 1
    return count


def purge_delivered(*, older_than: dt.datetime) -> int:
    """Forget the messages delivered before `older_than`; returns how many. Given-up and
    pending ones are kept."""
    deleted, _by_model = OutboxMessage.objects.filter(delivered_at__lt=older_than).delete()
    return deleted


# --- periodic jobs (see `integrations.jobs`) -----------------------------------------------

BATCH = 100


def deliver_all_due(
    *,
    batch: int = BATCH,
    destinations: Sequence[Destination],
    policy: Policy,
    stopping: Callable[[], bool] = lambda: False,
    now: dt.datetime | None = None,
) -> Report:
    """Pass after pass until one takes less than `batch` (nothing more is due) or
    `stopping()`; a destination that failed is not tried again in any of them. `now`: see
    `deliver_due`."""
    total = Report()
    down: set[str] = set()
    while not stopping():
        report = deliver_due(
            now=now, limit=batch, destinations=destinations, policy=policy, down=down
        )
        total.add(report)
        if report.taken < batch:
            break
    return total


def delivery_job() -> str:
    """Deliver what is due now."""
    report = deliver_all_due(destinations=every_destination(), policy=Policy.from_settings())
    return str(report) if report.taken else ""


def purge_job() -> str:
    days = float(setting("MOTCUA_OUTBOX_KEEP_DAYS", "30"))
    deleted = purge_delivered(older_than=timezone.now() - dt.timedelta(days=days))
    return f"{deleted} delivered message(s) deleted" if deleted else ""
