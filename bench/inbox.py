"""Benchmark: server time of the back office inbox (`/office/`) with 100,000 open dossiers
at one step of one agency (issue 4: under 300 ms).

Run as `python bench/inbox.py [--dossiers N] [--repeat R]` (PostgreSQL on 127.0.0.1:5432,
user postgres, trust auth). It recreates the database `motcua_bench_inbox`, migrates, loads
the demo province, receives one dossier at the counter of Phường Hồng Châu through the
service and moves it to the specialist step, then copies it N times in SQL as open
dossiers (status processing, due moments spread over the past and the future, one in five
assigned to the specialist) and ANALYZEs. In-process, with the production settings and
Django's test `Client`, it logs in as the ward's specialist and times each inbox tab and
the second page of each (the keyset cursor) R times after a warm-up: p50/p95/max server
time (no network, no TLS; the client's own overhead is included, so the figures are a
ceiling) and the SQL queries per page. Writes bench/results/inbox.json.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))

from api import PROCEDURE, RECEIVER, percentile, recreate_database  # noqa: E402

SPECIALIST = "tuphap.hongchau"
PASSWORD = "motcua-demo"
GOAL_MS = 300.0
CURSOR = re.compile(r'href="\?tab=(\w+)&amp;after=([^"]+)"')


def template_dossier() -> tuple[int, int, int]:
    """Receive one dossier at the ward's counter and forward it until it reaches a
    specialist step. Returns (dossier id, current agency id, specialist user id)."""
    from django.contrib.auth.models import User

    from motcua.agencies.models import Role
    from motcua.dossiers import services

    receiver = User.objects.get(username=RECEIVER)
    dossier = services.dossier_receive(
        actor=receiver,
        procedure_code=PROCEDURE,
        applicant=services.Applicant(name="Nguyễn Văn Thử", phone="0900000000"),
    )
    leader_roles = {Role.LEADER, Role.DIVISION_HEAD}
    for _ in range(5):
        step = dossier.current_step
        if step is not None and step.role == Role.SPECIALIST:
            break
        actor = User.objects.filter(
            memberships__agency_id=dossier.current_agency_id,
            memberships__role__in=[step.role] if step and step.role else list(leader_roles),
        ).first()
        if actor is None:
            raise SystemExit(f"nobody holds the step {step} of {dossier.code}")
        dossier = services.dossier_forward(actor=actor, code=dossier.code)
    else:
        raise SystemExit("the procedure never reaches a specialist step")
    specialist = User.objects.get(username=SPECIALIST)
    return dossier.pk, dossier.current_agency_id, specialist.pk


def seed(dsn: str, n: int, template_id: int, specialist_id: int) -> float:
    """Copy the template dossier `n` times as open dossiers; returns the seconds taken."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'dossiers_dossier' ORDER BY ordinal_position"
            )
        ]
        # Due moments every 37 minutes from 60 days ago to 60 days ahead (past and future
        # mixed by the modulo), received 6 days before.
        due = "date_trunc('minute', now()) + ((g * 7919) %% 5000 - 2500) * interval '37 minutes'"
        overrides = {
            "code": "'BENCH-' || g",
            "lookup_token": "md5(g::text)",
            "status": "'processing'",
            "due_at": due,
            "initial_due_at": due,
            "step_due_at": due,
            "received_at": f"{due} - interval '6 days'",
            "submitted_at": f"{due} - interval '6 days'",
            "assignee_id": f"CASE WHEN g %% 5 = 0 THEN {int(specialist_id)} ELSE NULL END",
        }
        select = ", ".join(overrides.get(c, f"t.{c}") for c in columns if c != "id")
        names = ", ".join(c for c in columns if c != "id")
        started = time.monotonic()
        conn.execute(
            f"INSERT INTO dossiers_dossier ({names}) SELECT {select} FROM generate_series(1, "
            f"%s) AS g, (SELECT * FROM dossiers_dossier WHERE id = %s) AS t",
            (n, template_id),
        )
        conn.execute("ANALYZE")
        return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="motcua_bench_inbox")
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    dsn = f"postgres://{args.user}@{args.host}:{args.port}/{args.database}"
    recreate_database(args.host, args.port, args.user, args.database)
    os.environ["DATABASE_URL"] = dsn
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings.production"
    os.environ.setdefault("SECRET_KEY", "bench-inbox-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The manifest static storage of production needs collected files: a private copy.
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="motcua_bench_inbox_static_")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    template_id, agency_id, specialist_id = template_dossier()
    seconds = seed(dsn, args.dossiers, template_id, specialist_id)
    print(f"seeded {args.dossiers:,} open dossiers in {seconds:.1f} s", flush=True)

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post("/office/login/", {"username": SPECIALIST, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"login failed: {response.status_code}")

    def get(url: str) -> str:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
        return response.content.decode()

    first = get("/office/")
    tabs = re.findall(r'href="\?tab=(\w+)"', first) or ["mine", "step"]
    urls: dict[str, str] = {}
    for tab in dict.fromkeys(tabs):
        urls[tab] = f"/office/?tab={tab}"
        found = [m for m in CURSOR.findall(get(urls[tab])) if m[0] == tab]
        if found:
            cursor = unquote(html.unescape(found[0][1]))
            urls[f"{tab} page 2"] = f"/office/?tab={tab}&after={cursor}"

    pages: dict[str, object] = {}
    for name, url in urls.items():
        for _ in range(args.warmup):
            get(url)
        # CaptureQueriesContext sees nothing here: the request_started signal resets the
        # connection's query log. Count (and time) the queries with an execute wrapper.
        sql: list[tuple[float, str]] = []

        def record(execute, query, params, many, context, sql=sql):  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            try:
                return execute(query, params, many, context)
            finally:
                sql.append(((time.perf_counter() - t0) * 1000, query))

        with connection.execute_wrapper(record):
            body = get(url)
        timings = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        pages[name] = {
            "url": url,
            "rows": len(re.findall(r'href="/office/dossiers/[^/"]+/"', body)),
            "queries": len(sql),
            "sql_ms": round(sum(ms for ms, _ in sql), 1),
            "slowest_queries": [
                {"ms": round(ms, 1), "sql": query[:300]}
                for ms, query in sorted(sql, reverse=True)[:3]
            ],
            "p50_ms": round(percentile(timings, 0.50), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
        }
        summary = {k: v for k, v in pages[name].items() if k not in ("url", "slowest_queries")}
        print(f"{name:>14}: {summary}", flush=True)

    worst = max(float(p["max_ms"]) for p in pages.values())  # type: ignore[index]
    results = {
        "name": "inbox",
        "dossiers_seeded": args.dossiers,
        "seed_seconds": round(seconds, 1),
        "officer": SPECIALIST,
        "agency_id": agency_id,
        "repeat": args.repeat,
        "goal_ms": GOAL_MS,
        "pages": pages,
        "worst_ms": worst,
        "meets_goal": worst < GOAL_MS,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": "in-process Django test Client, production settings, no network; the "
        "machine's cores are shared with PostgreSQL and other jobs",
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "inbox.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"worst {worst} ms (goal < {GOAL_MS:.0f} ms); wrote {RESULTS / 'inbox.json'}")


if __name__ == "__main__":
    main()
