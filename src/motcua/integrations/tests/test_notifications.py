"""The notification adapter against a local fake SMS gateway (http.server in a thread)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core import mail

from motcua.integrations.notifications import (
    ConsoleNotifier,
    HttpNotifier,
    NotificationError,
    notifier,
    signature,
)

from .conftest import FakeGateway


def test_http_notifier_posts_a_signed_json_sms(gateway: FakeGateway) -> None:
    HttpNotifier(url=gateway.url, secret="s3cret").send_sms("0912345678", "Mã xác thực: 123456")

    [request] = gateway.requests
    payload = json.loads(request["body"])
    assert request["path"] == "/sms"
    assert payload["channel"] == "sms"
    assert payload["to"] == "0912345678"
    assert payload["text"] == "Mã xác thực: 123456"
    assert request["headers"]["X-Motcua-Signature"] == signature("s3cret", request["body"])
    assert request["headers"]["Idempotency-Key"] == payload["id"]
    assert "s3cret" not in json.dumps(request["headers"]) + request["body"].decode()


def test_a_gateway_error_is_retried_with_the_same_idempotency_key(gateway: FakeGateway) -> None:
    gateway.statuses = [503, 502]
    HttpNotifier(url=gateway.url, secret="k", retries=2, backoff=0).send_sms("0912345678", "x")

    keys = [request["headers"]["Idempotency-Key"] for request in gateway.requests]
    assert len(keys) == 3
    assert len(set(keys)) == 1


def test_a_gateway_that_keeps_failing_raises_after_the_retries(gateway: FakeGateway) -> None:
    gateway.statuses = [500, 500, 500, 500]
    with pytest.raises(NotificationError) as excinfo:
        HttpNotifier(url=gateway.url, secret="k", retries=1, backoff=0).send_sms("09", "x")
    assert excinfo.value.code == "notification_failed" and not excinfo.value.final
    assert len(gateway.requests) == 2


def test_a_refused_request_is_not_retried(gateway: FakeGateway) -> None:
    gateway.statuses = [400]
    with pytest.raises(NotificationError) as excinfo:
        HttpNotifier(url=gateway.url, secret="k", retries=3, backoff=0).send_sms("09", "x")
    assert len(gateway.requests) == 1 and excinfo.value.final


def test_a_message_keeps_its_key_across_calls(gateway: FakeGateway) -> None:
    notifier = HttpNotifier(url=gateway.url, secret="k", retries=0, backoff=0)
    notifier.send_sms("0912345678", "x", key="dossier.changed:7:sms")
    notifier.send_sms("0912345678", "x", key="dossier.changed:7:sms")
    keys = [r["headers"]["Idempotency-Key"] for r in gateway.requests]
    assert keys == ["dossier.changed:7:sms"] * 2


def test_an_unreachable_gateway_raises() -> None:
    # Port 9 (discard) on loopback: nothing listens there on a test machine.
    with pytest.raises(NotificationError):
        HttpNotifier(url="http://127.0.0.1:9/", secret="k", retries=0, timeout=1).send_sms(
            "09", "x"
        )


def test_http_notifier_sends_email_through_django(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    HttpNotifier(url="http://127.0.0.1:9/", secret="k").send_email(
        "an@example.vn", "Mã xác thực", "123456"
    )
    [message] = mail.outbox
    assert message.to == ["an@example.vn"]
    assert message.subject == "Mã xác thực"


def test_console_notifier_prints_the_message() -> None:
    stream = io.StringIO()
    console = ConsoleNotifier(stream=stream)
    console.send_sms("0912345678", "Mã xác thực: 654321")
    console.send_email("an@example.vn", "Chủ đề", "Nội dung 111222")
    output = stream.getvalue()
    assert "0912345678" in output
    assert "654321" in output
    assert "an@example.vn" in output
    assert "111222" in output


def test_notifier_follows_the_settings(settings: Any, gateway: FakeGateway) -> None:
    settings.MOTCUA_NOTIFY_BACKEND = "console"
    assert isinstance(notifier(), ConsoleNotifier)

    settings.MOTCUA_NOTIFY_BACKEND = "http"
    settings.MOTCUA_SMS_GATEWAY_URL = gateway.url
    settings.MOTCUA_SMS_GATEWAY_SECRET = "from-settings"
    backend = notifier()
    backend.send_sms("0987654321", "x")
    [request] = gateway.requests
    assert request["headers"]["X-Motcua-Signature"] == signature("from-settings", request["body"])

    settings.MOTCUA_NOTIFY_BACKEND = "pigeon"
    with pytest.raises(NotificationError):
        notifier()
