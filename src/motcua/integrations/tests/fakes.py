"""Test doubles shared by the apps' tests: a notification backend that keeps what it is
given, and a local fake of the HTTP systems we post to (SMS gateway, webhooks, the national
portal's connector): http.server in a thread, so the tests make the real HTTP round trip
without the network. A test module uses the fixture by importing `gateway`."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from motcua.integrations.notifications import NotificationError


class Inbox:
    """A notification backend that keeps what it is given; a channel in `down` fails as
    the SMS gateway or the mail server would."""

    delivers = True

    def __init__(self) -> None:
        self.sms: list[tuple[str, str]] = []
        self.sms_keys: list[str | None] = []
        self.email: list[tuple[str, str, str]] = []
        self.down: set[str] = set()
        self.refused: set[str] = set()  # channels that refuse for good

    def send_sms(self, phone: str, text: str, *, key: str | None = None) -> None:
        if "sms" in self.refused:
            raise NotificationError("HTTP 400", final=True)
        if "sms" in self.down:
            raise NotificationError("gateway away")
        self.sms.append((phone, text))
        self.sms_keys.append(key)

    def send_email(self, address: str, subject: str, text: str) -> None:
        if "email" in self.down:
            raise NotificationError("SMTP refused")
        self.email.append((address, subject, text))


@dataclass
class FakeGateway:
    """Answers each POST with the next status of `statuses` for its path, else of
    `statuses[""]`, else 200, with the body `replies` holds for its path (else
    `{"ok": true}`), and records it.

    As a system that is away: while `down`, a request is not read and the connection is
    closed without an answer; with `lose_answers` > 0, the next that many requests are
    taken (recorded) but their answers lost (the connection closes), as when a network
    breaks after the other side committed. `accepted` counts, by path and
    `Idempotency-Key`, the requests taken: a receiver keeps one of each key."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    statuses_by_path: dict[str, list[int]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, bytes] = field(default_factory=dict)
    down: bool = False
    lose_answers: int = 0
    accepted: Counter[tuple[str, str]] = field(default_factory=Counter)

    def answer(self, path: str) -> int:
        queue = self.statuses_by_path.get(path) or self.statuses
        return queue.pop(0) if queue else 200

    def at(self, path: str) -> str:
        return self.url.rsplit("/", 1)[0] + path

    def to(self, path: str) -> list[dict[str, Any]]:
        return [request for request in self.requests if request["path"] == path]


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if fake.down:
                self.close_connection = True
                return
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                fake.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = fake.answer(self.path)
                if 200 <= status < 300:
                    fake.accepted[(self.path, self.headers["Idempotency-Key"])] += 1
                lost = fake.lose_answers > 0
                fake.lose_answers -= lost
            if lost:
                self.close_connection = True
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(fake.replies.get(self.path, b'{"ok": true}'))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
