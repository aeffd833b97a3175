"""The notification adapter: how motcua reaches a person by SMS or e-mail.

Callers depend on the `Notifier` protocol and get the configured backend from `notifier()`:

- `console` (the default, used by `make run` and the demo): writes each message to the
  console, so a developer reads sign-in codes in the terminal;
- `http`: SMS are POSTed as JSON to the deployment's SMS gateway (a provincial notification
  hub, a telecom's brand-name SMS API behind a small bridge), signed with a shared secret,
  with a timeout and retries; e-mail goes through Django's e-mail backend (the deployment's
  SMTP settings).

Settings (each read from Django settings, else the environment, else the default):
`MOTCUA_NOTIFY_BACKEND` (`console` | `http`), `MOTCUA_SMS_GATEWAY_URL`,
`MOTCUA_SMS_GATEWAY_SECRET`, `MOTCUA_SMS_GATEWAY_TIMEOUT` (seconds, 5),
`MOTCUA_SMS_GATEWAY_RETRIES` (extra attempts after the first, 2).

The gateway request: `POST <url>` with body `{"id", "channel": "sms", "to", "text"}`,
headers `Content-Type: application/json`, `Idempotency-Key: <id>` (the same on every retry,
so the gateway can drop a duplicate) and `X-Motcua-Signature: sha256=<hex HMAC-SHA256 of the
body with the shared secret>` (the secret itself never travels). Any 2xx is success; a 4xx is
final (the request is wrong, retrying will not help) but 408 and 429; a 5xx or a network
error is retried. `signed_post` makes that request for the webhooks too."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Protocol, TextIO

from django.core.mail import send_mail

from motcua.conf import setting

logger = logging.getLogger(__name__)


class NotificationError(Exception):
    """The message could not be handed to the gateway. `code` is stable for the API;
    `final` when trying again cannot help (the gateway refused the request itself)."""

    code = "notification_failed"

    def __init__(self, reason: str, *, final: bool = False) -> None:
        super().__init__(reason)
        self.final = final


class Notifier(Protocol):
    # False for a backend that reaches nobody (the console's): what it takes is not
    # recorded as sent.
    delivers: bool

    def send_sms(self, phone: str, text: str, *, key: str | None = None) -> None:
        """`key`: the same for every attempt at one message, so the gateway drops a
        duplicate (a new one per call when None)."""

    def send_email(self, address: str, subject: str, text: str) -> None: ...


class ConsoleNotifier:
    """Prints every message (the demo's and the developer's backend). Never fails, and
    reaches no one: `delivers` is False, so no notice is recorded as sent through it."""

    delivers = False

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream

    def _write(self, line: str) -> None:
        stream = self._stream or sys.stdout
        stream.write(line + "\n")
        stream.flush()

    def send_sms(self, phone: str, text: str, *, key: str | None = None) -> None:
        logger.info("SMS to %s (console backend)", phone)
        self._write(f"[SMS to {phone}] {text}")

    def send_email(self, address: str, subject: str, text: str) -> None:
        logger.info("E-mail to %s (console backend)", address)
        self._write(f"[E-mail to {address}] {subject}\n{text}")


def signature(secret: str, body: bytes) -> str:
    """The value of `X-Motcua-Signature` for `body`: a gateway recomputes it to check that the
    request comes from us."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_holds(secret: str, body: bytes, given: str) -> bool:
    """Whether `given` (an `X-Motcua-Signature` received) is `body`'s with `secret`: a system
    we share the secret with sent it. Compared in constant time."""
    return hmac.compare_digest(signature(secret, body), given.strip().lower())


# Refusals that may pass: a timeout on the other side, or "too many requests".
RETRYABLE_STATUSES = frozenset({408, 429})


class DeliveryFailed(Exception):
    """The other system did not take what we posted; `final` when retrying cannot help (a
    4xx but 408 and 429: the request itself is wrong)."""

    def __init__(self, reason: str, *, final: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.final = final


def signed_post(
    url: str,
    payload: dict[str, Any],
    *,
    secret: str,
    key: str,
    timeout: float,
    user_agent: str,
    headers: dict[str, str] | None = None,
) -> bytes:
    """POST `payload` as JSON, signed (`X-Motcua-Signature`) and keyed (`Idempotency-Key`,
    the same on every retry so the receiver can drop a duplicate), as our SMS gateway and
    webhooks expect. Returns the body of any 2xx answer; raises `DeliveryFailed` otherwise."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": key,
            "X-Motcua-Signature": signature(secret, body),
            "User-Agent": user_agent,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer: bytes = response.read()
    except urllib.error.HTTPError as exc:
        final = exc.code < 500 and exc.code not in RETRYABLE_STATUSES
        raise DeliveryFailed(f"HTTP {exc.code}", final=final) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryFailed(str(getattr(exc, "reason", exc)) or type(exc).__name__) from exc
    return answer


class HttpNotifier:
    """SMS through an HTTP gateway; e-mail through Django's e-mail backend."""

    delivers = True

    def __init__(
        self,
        *,
        url: str,
        secret: str,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.5,
        from_email: str | None = None,
    ) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("The SMS gateway URL must be an http(s) URL.")
        self.url = url
        self.secret = secret
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.from_email = from_email

    def send_sms(self, phone: str, text: str, *, key: str | None = None) -> None:
        message_id = key or str(uuid.uuid4())
        self._post({"id": message_id, "channel": "sms", "to": phone, "text": text}, message_id)

    def send_email(self, address: str, subject: str, text: str) -> None:
        try:
            send_mail(subject, text, self.from_email, [address], fail_silently=False)
        except Exception as exc:  # SMTP errors have many classes; all mean "not sent"
            logger.warning("E-mail to %s failed: %s", address, exc)
            raise NotificationError(str(exc)) from exc

    def _post(self, payload: dict[str, Any], message_id: str) -> None:
        last_error, final = "", False
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                signed_post(
                    self.url,
                    payload,
                    secret=self.secret,
                    key=message_id,
                    timeout=self.timeout,
                    user_agent="motcua-notifier/1",
                )
                return
            except DeliveryFailed as exc:
                last_error, final = exc.reason, exc.final
                if final:
                    break
            logger.warning(
                "SMS gateway attempt %d/%d failed: %s", attempt + 1, self.retries + 1, last_error
            )
        raise NotificationError(f"SMS gateway refused or unreachable: {last_error}", final=final)


def notifier() -> Notifier:
    """The backend the settings choose (see the module docstring)."""
    backend = setting("MOTCUA_NOTIFY_BACKEND", "console").strip().lower()
    if backend == "console":
        return ConsoleNotifier()
    if backend == "http":
        url = setting("MOTCUA_SMS_GATEWAY_URL", "")
        if not url:
            raise NotificationError("MOTCUA_SMS_GATEWAY_URL is not set.")
        return HttpNotifier(
            url=url,
            secret=setting("MOTCUA_SMS_GATEWAY_SECRET", ""),
            timeout=float(setting("MOTCUA_SMS_GATEWAY_TIMEOUT", "5")),
            retries=int(setting("MOTCUA_SMS_GATEWAY_RETRIES", "2")),
        )
    raise NotificationError(f"Unknown MOTCUA_NOTIFY_BACKEND {backend!r}.")
