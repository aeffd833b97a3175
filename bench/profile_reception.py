"""Profile one API reception in-process: the SQL it sends and where the Python time goes.

Run as `python bench/profile_reception.py [--requests N] [--sql] [--cprofile]
[--instructions]` against PostgreSQL (database `motcua_profile`, recreated with the demo). A
development aid for the API benchmark (`bench/api.py`): fewer queries and less CPU per request
are what raise its receptions per second; `--instructions` counts what a reception costs in a
way that does not depend on the machine."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from api import PROCEDURE, RECEIVER, python_loop_ms, recreate_database  # noqa: E402


def backend_cpu(pid: int) -> float:
    """CPU seconds used so far by a PostgreSQL backend on this machine (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def instructions_per_reception(database: str, reuse: bool) -> None:
    """Run this script under valgrind's callgrind twice, with 20 and with 120 receptions,
    and print the difference per reception: the Python process's machine instructions,
    which, unlike its CPU time, do not move with the machine's speed or load (PostgreSQL's
    own work is not counted). Takes a few minutes."""
    script = [sys.executable, __file__, "--database", database]
    if not reuse:  # the database is made outside the counted runs
        subprocess.run([*script, "--requests", "1"], capture_output=True, check=True)
    counts = []
    for n in (20, 120):
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                *script,
                "--requests",
                str(n),
                "--reuse",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
        counts.append(int(found.group(1)))
    per = (counts[1] - counts[0]) / 100
    print(f"instructions per reception (Python process, callgrind): {per / 1e6:.1f} M")


def watch_sequence_hold(connection: Any, holds: list[float]) -> None:
    """Append to `holds`, per reception, the seconds from the start of the statement that
    takes the agency's next dossier number to the end of the COMMIT: the time that number's
    row stays locked, during which every other reception of that agency and day waits."""
    taken: list[float] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "dossiercodesequence" in sql:
            taken.append(time.perf_counter())
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(wrapper)
    commit = connection._commit

    def timed_commit() -> None:
        commit()
        if taken:
            holds.append(time.perf_counter() - taken.pop())

    connection._commit = timed_commit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sql", action="store_true", help="print the SQL of one request")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--filter", default="", help="only functions whose path matches")
    parser.add_argument("--reuse", action="store_true", help="keep the database")
    parser.add_argument("--database", default="motcua_profile")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count machine instructions per reception under valgrind (machine-independent)",
    )
    parser.add_argument(
        "--hold",
        action="store_true",
        help="time each reception's hold on its agency's code sequence (upsert to COMMIT)",
    )
    args = parser.parse_args()
    if args.instructions:
        instructions_per_reception(args.database, args.reuse)
        return

    name = args.database
    if not args.reuse:
        recreate_database("127.0.0.1", 5432, "postgres", name)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.production")
    os.environ.setdefault("SECRET_KEY", "profile-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.integrations.models import ApiToken

    # One connection all along (no CONN_MAX_AGE reconnect, which a slow run under valgrind
    # would hit), so that the PostgreSQL backend measured is the one doing the work.
    connection.settings_dict["CONN_MAX_AGE"] = None

    if not args.reuse:
        call_command("migrate", verbosity=0)
        call_command("demo", stdout=io.StringIO())
    from django.contrib.auth.models import User

    _token, secret = ApiToken.objects.issue(
        user=User.objects.get(username=RECEIVER), name="profile", scopes=("read", "write")
    )
    # The WSGI application itself, as the server loads and calls it (Django's test client
    # would skip the CSRF middleware's work and add its own).
    from motcua.wsgi import application

    def post(i: int) -> None:
        body = json.dumps(
            {
                "mode": "receive",
                "procedure_code": PROCEDURE,
                "applicant": {"name": "Nguyễn Văn Thử", "phone": f"09{i:08d}"},
            }
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/dossiers",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8099",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8099",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_AUTHORIZATION": f"Bearer {secret}",
            "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        answer: list[str] = []
        chunks = application(environ, lambda status, headers: answer.append(status))
        content = b"".join(chunks)
        assert answer[0].startswith("201"), (answer, content)

    post(0)  # warm caches
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    with CaptureQueriesContext(connection) as ctx:
        post(1)
    print(f"queries per reception: {len(ctx.captured_queries)}")
    if args.sql:
        for q in ctx.captured_queries:
            print(f"  {q['time']:>6} {q['sql'][:240]}")
    holds: list[float] = []
    if args.hold:
        watch_sequence_hold(connection, holds)
    # CPU time, not wall time: waiting on PostgreSQL is not our Python work.
    profiler = cProfile.Profile(time.process_time) if args.cprofile else None
    started = time.perf_counter()
    cpu_started = time.process_time()
    backend_started = backend_cpu(backend)
    if profiler:
        profiler.enable()
    for i in range(2, args.requests + 2):
        post(i)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    backend_used = backend_cpu(backend) - backend_started
    # CPU time is this process's alone (Django, psycopg): unlike the wall time it hardly
    # moves when other work shares the machine, so it is the figure to compare changes by.
    print(f"fixed Python loop: {python_loop_ms()} ms (bench/api.py's machine-speed reference)")
    print(
        f"{args.requests} receptions in {elapsed:.2f} s: "
        f"{elapsed / args.requests * 1000:.2f} ms each, "
        f"{cpu / args.requests * 1000:.2f} ms CPU each, "
        f"PostgreSQL backend {backend_used / args.requests * 1000:.2f} ms CPU each"
    )
    if holds:
        holds.sort()
        print(
            f"sequence row held per reception: median {holds[len(holds) // 2] * 1000:.2f} ms, "
            f"p90 {holds[int(len(holds) * 0.9)] * 1000:.2f} ms "
            f"(one agency's receptions per second cannot exceed 1 / hold)"
        )
    if profiler:
        profiler.dump_stats("/tmp/reception.prof")
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.sort).print_stats(args.filter, 45)


if __name__ == "__main__":
    main()
