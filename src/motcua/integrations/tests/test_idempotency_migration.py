"""Migration 0007 keeps the answers of idempotency records written before it."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from .conftest import apps_at, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("integrations", "0006_references_without_constraint")]
AFTER = [("integrations", "0007_idempotency_response_as_sent")]


def test_an_answer_stored_as_json_is_kept_as_sent_text() -> None:
    try:
        old = apps_at(BEFORE)
        user = old.get_model("auth", "User").objects.create(username="migration.officer")
        old.get_model("integrations", "IdempotencyRecord").objects.create(
            user_id=user.pk,
            key="k-migrated",
            method="POST",
            path="/api/v1/dossiers",
            request_hash="0" * 64,
            status_code=201,
            response={
                "body": {"code": "H99.50.01-261203-0001", "tên": "Thử"},
                "headers": {"Location": "/x"},
            },
            created_at=timezone.now(),
        )
        new = apps_at(AFTER)
        record = new.get_model("integrations", "IdempotencyRecord").objects.get(key="k-migrated")
        assert json.loads(record.response_body) == {"code": "H99.50.01-261203-0001", "tên": "Thử"}
        assert "Thử" in record.response_body  # not escaped
        assert record.response_headers == {"Location": "/x"}
    finally:
        migrate_to_latest()
