"""Migration 0008 makes the messages written before it due at their creation."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import apps_at, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("integrations", "0007_idempotency_response_as_sent")]
AFTER = [("integrations", "0008_outbox_delivery")]


def test_messages_written_before_fall_due_at_their_creation() -> None:
    created = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    try:
        old = apps_at(BEFORE)
        old.get_model("integrations", "OutboxMessage").objects.create(
            topic="dossier.received", key="k-old", payload={"dossier": "x"}, created_at=created
        )
        new = apps_at(AFTER)
        message = new.get_model("integrations", "OutboxMessage").objects.get(key="k-old")
        assert message.next_attempt_at == created
        assert (message.delivered_to, message.failed_at, message.delivered_at) == ([], None, None)
    finally:
        migrate_to_latest()
