"""Writing outbox messages. Call inside the transaction of the change they report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua import db

from .models import OutboxMessage


def outbox_enqueue(*, topic: str, key: str, payload: dict[str, Any], now: dt.datetime) -> None:
    """Record that other systems must learn `payload` under `topic`; `key` makes the
    delivery idempotent (a second enqueue with the same key is ignored)."""
    db.insert(
        OutboxMessage(key=key, topic=topic, payload=payload, created_at=now, next_attempt_at=now),
        ignore_conflicts=True,
    )
