"""A local fake of the HTTP systems we post to (SMS gateway, webhooks): http.server in a
thread, so the tests make the real HTTP round trip without the network. And the database
at a migration, for the migration tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@dataclass
class FakeGateway:
    """Answers each POST with the next status of `statuses` for its path, else of
    `statuses[""]`, else 200, and records it."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    statuses_by_path: dict[str, list[int]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)

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
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                fake.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = fake.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}')

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


def apps_at(target: list[tuple[str, str]]) -> Any:
    """Migrate the test database to `target`; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
