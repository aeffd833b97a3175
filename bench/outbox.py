"""Benchmark: how fast one worker empties the outbox when every dossier action tells the
applicant (SMS and e-mail) and a webhook takes every message.

Run as `python bench/outbox.py [--dossiers N]` (PostgreSQL on 127.0.0.1:5432, user
postgres, trust auth). It recreates the database `motcua_bench_outbox`, migrates, loads the
demo province, receives N online dossiers through the services (a submission and a
reception each: two outbox messages, the reception telling the applicant) with a phone and
an e-mail, then times one pass of the worker's delivery (`deliver_all_due`, as `motcua
worker` runs it) over all of them: the applicant's notices go through the HTTP notifier to
a local fake SMS gateway (a thread of this process) and through Django's in-memory e-mail
backend, and a webhook posts every message to the same fake. Reports messages and notices
per second and the share of the time spent waiting for HTTP. Writes
bench/results/outbox.json.

There is no goal for it in DESIGN.md; it tells a deployment how many workers its peak
needs (they share the queue: `SKIP LOCKED`).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))

import psycopg  # noqa: E402
from api import PROCEDURE, RECEIVER, recreate_database  # noqa: E402


class Gateway:
    """A local HTTP server answering every POST 200, counting them."""

    def __init__(self) -> None:
        self.count = 0
        lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    gateway.count += 1
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="motcua_bench_outbox")
    parser.add_argument("--dossiers", type=int, default=1000)
    args = parser.parse_args()

    gateway = Gateway()
    dsn = f"postgres://{args.user}@{args.host}:{args.port}/{args.database}"
    recreate_database(args.host, args.port, args.user, args.database)
    os.environ.update(
        {
            "DATABASE_URL": dsn,
            "DJANGO_SETTINGS_MODULE": "motcua.settings.production",
            "SECRET_KEY": "bench-outbox-" + "x" * 60,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "ERROR",
            "STATIC_ROOT": tempfile.mkdtemp(prefix="motcua_bench_outbox_static_"),
            "MOTCUA_NOTIFY_BACKEND": "http",
            "MOTCUA_SMS_GATEWAY_URL": gateway.url + "/sms",
            "MOTCUA_SMS_GATEWAY_SECRET": "bench",
            "MOTCUA_OUTBOX_WEBHOOKS": json.dumps(
                [{"name": "bench", "url": gateway.url + "/hook", "secret": "bench"}]
            ),
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core import mail
    from django.core.management import call_command

    from motcua.dossiers import services
    from motcua.integrations.delivery import Policy, deliver_all_due, every_destination
    from motcua.integrations.models import OutboxMessage, SentNotice

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    receiver = User.objects.get(username=RECEIVER)
    applicant = User.objects.create_user("bench-applicant")
    started = time.monotonic()
    for i in range(args.dossiers):
        submitted = services.dossier_submit(
            actor=applicant,
            procedure_code=PROCEDURE,
            applicant=services.Applicant(
                name="Nguyễn Văn Thử", phone=f"09{i:08d}", email=f"thu{i}@example.vn"
            ),
        )
        services.dossier_receive(actor=receiver, code=str(submitted.pk))
    print(
        f"{args.dossiers:,} dossiers submitted and received in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    messages = OutboxMessage.objects.count()

    cpu = time.process_time()
    started = time.monotonic()
    report = deliver_all_due(destinations=every_destination(), policy=Policy.from_settings())
    seconds = time.monotonic() - started
    cpu = time.process_time() - cpu
    notices = SentNotice.objects.count()
    results = {
        "name": "outbox",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "dossiers": args.dossiers,
        "messages": messages,
        "delivered": report.delivered,
        "failed": report.failed + report.retrying,
        "notices_sent": notices,
        "sms_and_webhook_posts": gateway.count,
        "emails": len(mail.outbox),
        "seconds": round(seconds, 2),
        "messages_per_second": round(report.delivered / seconds, 1),
        "notices_per_second": round(notices / seconds, 1),
        # This process ran the fake gateway too: its CPU is counted here.
        "process_cpu_share": round(cpu / seconds, 2),
        "note": "one worker process; the fake gateway runs in the same process and answers "
        "at once, so a real gateway's latency adds to each SMS and webhook post",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "outbox.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    with psycopg.connect(
        f"postgres://{args.user}@{args.host}:{args.port}/postgres", autocommit=True
    ) as admin:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
