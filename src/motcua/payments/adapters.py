"""Payment gateways (cổng thanh toán): the interface the services use, one HTTP adapter, and
fakes for tests and the demo.

A gateway does two things for us: it opens a payment (we send our order id, the amount and
where to notify us; it answers with its own reference and the address the payer goes to),
and it notifies us when the payer has paid. A notice is trusted only when its HMAC-SHA256
signature over the raw body, made with the secret we share with the gateway, checks out;
the services then match it against the stored request (reference, amount).

`HttpGateway` speaks a small JSON protocol (below) that a real gateway's adapter can
translate to; `FakeGatewayServer` serves that protocol on a local port (http.server in a
thread), so tests exercise the real HTTP round trip without the network.

    POST {base}/payments          {"order_id", "amount", "description", "callback_url"}
                                  -> 201 {"id", "pay_url"}
    POST {base}/payments/{id}/pay (fake server only: the payer pays)
                                  -> 200 {"body": <the notice>, "signature": <hex>}
    notice                        {"id", "order_id", "amount", "status": "paid"|"failed",
                                   "transaction"}"""

from __future__ import annotations

import abc
import hashlib
import hmac
import json
import secrets
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.conf import settings

from .exceptions import CallbackRejected, PaymentError

SIGNATURE_HEADER = "X-Signature"


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class GatewayPayment:
    gateway_reference: str
    pay_url: str


@dataclass(frozen=True)
class GatewayNotice:
    gateway_reference: str
    order_id: str
    amount: int
    paid: bool
    transaction: str


class PaymentGateway(abc.ABC):
    name: str = ""

    @abc.abstractmethod
    def create_payment(
        self, *, order_id: str, amount: int, description: str, callback_url: str
    ) -> GatewayPayment:
        """Open a payment at the gateway; PaymentError when the gateway cannot."""

    @abc.abstractmethod
    def verify_callback(self, *, body: bytes, signature: str) -> GatewayNotice:
        """The notice in `body` if `signature` is the gateway's; CallbackRejected if not."""


class HmacNotices(PaymentGateway, abc.ABC):
    """Notices signed with HMAC-SHA256 of the raw body under a shared secret."""

    def __init__(self, *, secret: str) -> None:
        if not secret:
            raise ValueError("a payment gateway needs a shared secret")
        self.secret = secret

    def verify_callback(self, *, body: bytes, signature: str) -> GatewayNotice:
        if not hmac.compare_digest(sign(self.secret, body), signature.strip().lower()):
            raise CallbackRejected(reason="signature")
        try:
            data = json.loads(body)
            notice = GatewayNotice(
                gateway_reference=str(data["id"]),
                order_id=str(data["order_id"]),
                amount=int(data["amount"]),
                paid=data["status"] == "paid",
                transaction=str(data.get("transaction", ""))[:100],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CallbackRejected(reason="content") from exc
        return notice


class HttpGateway(HmacNotices):
    """The JSON-over-HTTP protocol of this module's docstring."""

    name = "http"

    def __init__(self, *, base_url: str, secret: str, timeout: float = 10.0) -> None:
        super().__init__(secret=secret)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def create_payment(
        self, *, order_id: str, amount: int, description: str, callback_url: str
    ) -> GatewayPayment:
        body = json.dumps(
            {
                "order_id": order_id,
                "amount": amount,
                "description": description,
                "callback_url": callback_url,
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.base_url}/payments",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read())
            return GatewayPayment(str(data["id"]), str(data["pay_url"]))
        except (OSError, ValueError, KeyError) as exc:
            raise PaymentError(reason="gateway_unavailable") from exc


class FakeGateway(HmacNotices):
    """In-process gateway for the demo and tests that need no HTTP: `notice()` makes the
    signed notice the gateway would send once the payer has paid."""

    name = "fake"

    def __init__(self, *, secret: str = "fake-gateway-secret") -> None:
        super().__init__(secret=secret)
        self.payments: dict[str, dict[str, Any]] = {}

    def create_payment(
        self, *, order_id: str, amount: int, description: str, callback_url: str
    ) -> GatewayPayment:
        reference = f"FG{secrets.token_hex(6).upper()}"
        self.payments[reference] = {"order_id": order_id, "amount": amount}
        return GatewayPayment(reference, f"https://gateway.invalid/pay/{reference}")

    def notice(self, gateway_reference: str, *, paid: bool = True) -> tuple[bytes, str]:
        payment = self.payments[gateway_reference]
        return _signed_notice(self.secret, gateway_reference, payment, paid=paid)


def _signed_notice(
    secret: str, reference: str, payment: dict[str, Any], *, paid: bool
) -> tuple[bytes, str]:
    body = json.dumps(
        {
            "id": reference,
            "order_id": payment["order_id"],
            "amount": payment["amount"],
            "status": "paid" if paid else "failed",
            "transaction": f"T{secrets.token_hex(5).upper()}",
        }
    ).encode()
    return body, sign(secret, body)


class FakeGatewayServer:
    """A local HTTP server speaking `HttpGateway`'s protocol, in a daemon thread:

    with FakeGatewayServer(secret="s") as server:
        gateway = HttpGateway(base_url=server.url, secret="s")
    """

    def __init__(self, *, secret: str) -> None:
        self.secret = secret
        self.payments: dict[str, dict[str, Any]] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, data: dict[str, Any]) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = self.path.strip("/").split("/")
                if parts == ["payments"]:
                    if not hmac.compare_digest(
                        sign(outer.secret, body), self.headers.get(SIGNATURE_HEADER, "")
                    ):
                        self._reply(401, {"error": "bad signature"})
                        return
                    data = json.loads(body)
                    reference = f"FS{secrets.token_hex(6).upper()}"
                    outer.payments[reference] = data
                    self._reply(201, {"id": reference, "pay_url": f"{outer.url}/pay/{reference}"})
                elif len(parts) == 3 and parts[0] == "payments" and parts[2] == "pay":
                    payment = outer.payments.get(parts[1])
                    if payment is None:
                        self._reply(404, {"error": "unknown payment"})
                        return
                    notice, signature = _signed_notice(outer.secret, parts[1], payment, paid=True)
                    self._reply(200, {"body": notice.decode(), "signature": signature})
                else:
                    self._reply(404, {"error": "not found"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGatewayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def pay(self, gateway_reference: str) -> tuple[bytes, str]:
        """As the payer: pay at the gateway; the signed notice it sends us."""
        request = urllib.request.Request(
            f"{self.url}/payments/{gateway_reference}/pay", data=b"", method="POST"
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            data = json.loads(response.read())
        return data["body"].encode(), data["signature"]


def gateway_from_settings() -> PaymentGateway | None:
    """The gateway `MOTCUA_PAYMENT_GATEWAY` configures, or None (QR and counter only):

    MOTCUA_PAYMENT_GATEWAY = {"kind": "http", "base_url": "https://...", "secret": "..."}
    MOTCUA_PAYMENT_GATEWAY = {"kind": "fake", "secret": "..."}   # demo
    """
    config: dict[str, str] = getattr(settings, "MOTCUA_PAYMENT_GATEWAY", None) or {}
    kind = config.get("kind", "")
    if kind == "http":
        return HttpGateway(base_url=config["base_url"], secret=config["secret"])
    if kind == "fake":
        return _fake_gateway(config.get("secret", "fake-gateway-secret"))
    return None


_fakes: dict[str, FakeGateway] = {}


def _fake_gateway(secret: str) -> FakeGateway:
    # One per process, so the payments it opened are still known when their notice comes.
    return _fakes.setdefault(secret, FakeGateway(secret=secret))
