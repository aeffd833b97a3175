"""Benchmark: dossier receptions per second through the JSON API on PostgreSQL, and the
public lookup's latency, at an empty table and at `--dossiers` (default 1,000,000) rows.

Run as `python bench/api.py` (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth, as
on the development machines and in CI). It recreates the database `motcua_bench`, loads the
demo province, serves the project as in production (granian, 2 worker processes, production
settings; see docs/decisions/0002-granian.md) and drives it from client threads in this
process over keep-alive connections. The client shares the 2 cores with the server and
PostgreSQL, so the figures are a floor.

Goals (DESIGN.md): >= 300 receptions/s with p99 < 150 ms, unchanged within 15 % at 10 M
dossiers; public lookup p99 < 50 ms. Writes bench/results/api.json.
"""

from __future__ import annotations

import argparse
import fcntl
import importlib.metadata
import json
import os
import platform
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
RECEIVER = "tiepnhan.hongchau"
PROCEDURE = "1.001193"


def admin_dsn(host: str, port: int, user: str) -> str:
    return f"host={host} port={port} user={user} dbname=postgres"


def recreate_database(host: str, port: int, user: str, name: str) -> None:
    with psycopg.connect(admin_dsn(host, port, user), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def motcua(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "motcua"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def create_token(env: dict[str, str]) -> str:
    out = motcua(
        env, "api_token", "create", "--user", RECEIVER, "--name", "bench", "--scopes", "read,write"
    )
    for word in out.split():
        if len(word) >= 32 and word.replace("_", "").replace("-", "").isalnum():
            return word
    raise SystemExit(f"no token in the output of api_token create:\n{out}")


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [
                str(BIN / "granian"),
                "--interface",
                "wsgi",
                "motcua.wsgi:application",
                "--workers",
                str(workers),
                "--blocking-threads",
                str(threads),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,  # its own process group, for `kill`
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                client = Client(port, timeout=2)
                status, _content = client.request("GET", "/api/v1/openapi.json", None, {})
                client.close()
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not start")

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker process (Linux /proc), in MB."""
        sizes = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid):
                sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
        return sorted(sizes)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)

    def kill(self) -> None:
        """kill -9 the server and its workers at once, as a crash or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(server_pid: int) -> dict[tuple[str, int], float]:
    """CPU seconds used so far (Linux /proc) by each process of this process (the client),
    the server's worker processes and PostgreSQL, keyed by (part, pid)."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[tuple[str, int], float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        pid, parent = int(stat.parent.name), int(fields[1])
        spent = (int(fields[11]) + int(fields[12])) / tick
        if pid == os.getpid():
            used["client", pid] = spent
        elif parent == server_pid:
            used["workers", pid] = spent
        elif name.startswith("postgres"):
            used["postgresql", pid] = spent
    return used


def cpu_spent(before: dict[tuple[str, int], float], after: dict[tuple[str, int], float]):
    """CPU seconds per part between two `cpu_seconds` readings (a process that ended
    meanwhile is not counted; one that started counts whole)."""
    spent = {"client": 0.0, "workers": 0.0, "postgresql": 0.0}
    for (part, pid), seconds in after.items():
        spent[part] += seconds - before.get((part, pid), 0.0)
    return spent


class Client:
    """A lean HTTP/1.1 client over one keep-alive connection (reopened when the server
    closes it). The load generator shares the 2 cores with the server and PostgreSQL, so
    what it spends per request is taken from the system measured: this one builds the
    request as one string and reads the answer by its Content-Length, a fraction of the
    Python of `http.client` (whose header parsing goes through the `email` package)."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.address = ("127.0.0.1", port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(self.address, timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock, self.buffer = sock, b""
        return sock

    def _read_until(self, sock: socket.socket, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        found, self.buffer = self.buffer[:end], self.buffer[end + len(marker) :]
        return found

    def _read_exactly(self, sock: socket.socket, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = sock.recv(max(65536, size - len(self.buffer)))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def request(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """Send one request and read its answer; returns (status, body). A connection the
        server closed while idle is reopened once, before anything was read."""
        payload = body.encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.address[0]}:{self.address[1]}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append(f"Content-Length: {len(payload)}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        for attempt in (1, 2):
            reused = self.sock is not None
            sock = self.sock or self._connect()
            try:
                sock.sendall(message)
                head = self._read_until(sock, b"\r\n\r\n")
                break
            except (ConnectionError, BrokenPipeError):
                self.close()
                if not reused or attempt == 2:
                    raise
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if "content-length" not in fields:  # Django's CommonMiddleware sets it on every answer
            raise ValueError("an answer without Content-Length")
        content = self._read_exactly(sock, int(fields["content-length"]))
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, content


def drive(
    port: int, clients: int, seconds: float, make_request, server_pid: int
) -> dict[str, object]:
    """Run `clients` threads sending requests for `seconds`; latencies in ms, and the CPU
    each request cost the client, the workers and PostgreSQL."""
    cpu_before = cpu_seconds(server_pid)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[list[int]] = [[] for _ in range(clients)]
    start = time.monotonic()
    stop_at = start + seconds

    def worker(i: int) -> None:
        client = Client(port)
        rng = random.Random(i)
        while time.monotonic() < stop_at:
            method, path, body, headers = make_request(rng)
            t0 = time.perf_counter()
            try:
                status, _content = client.request(method, path, body, headers)
            except (OSError, ValueError, IndexError):
                client.close()
                status = 0
            elapsed = (time.perf_counter() - t0) * 1000
            if 200 <= status < 300:
                latencies[i].append(elapsed)
            else:
                failures[i].append(status)
        client.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    cpu_after = cpu_seconds(server_pid)
    ok = [x for part in latencies for x in part]
    failed = [x for part in failures for x in part]
    done = max(1, len(ok) + len(failed))
    return {
        "requests_ok": len(ok),
        "requests_failed": len(failed),
        "failure_statuses": sorted(set(failed)),
        "seconds": round(wall, 2),
        "per_second": round(len(ok) / wall, 1),
        "p50_ms": round(percentile(ok, 0.50), 1),
        "p95_ms": round(percentile(ok, 0.95), 1),
        "p99_ms": round(percentile(ok, 0.99), 1),
        "mean_ms": round(statistics.fmean(ok), 1) if ok else None,
        "cpu_ms_per_request": {
            part: round(seconds * 1000 / done, 2)
            for part, seconds in cpu_spent(cpu_before, cpu_after).items()
        },
    }


def python_loop_ms() -> float:
    """The best of five runs of a fixed pure-Python loop, in ms: how fast one core of this
    machine runs Python right now (other tenants of a shared host slow it), to compare
    figures taken on different machines or at different times."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


@contextmanager
def exclusive_run() -> Iterator[None]:
    """Refuse to start while another run of this benchmark is going on (it would share the
    cores and the database, and spoil both measurements)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / ".api.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit("another bench/api.py is running; wait for it to finish") from None
        yield


def handling_agencies(dsn: str) -> list[str]:
    """The codes of the demo province's communes in existence today (merged ones are
    gone): each handles the bench's commune-level procedure for its own residents."""
    with psycopg.connect(dsn) as conn:
        codes = [
            code
            for (code,) in conn.execute(
                "SELECT code FROM agencies_agency WHERE level = 'commune' "
                "AND (valid_from IS NULL OR valid_from <= CURRENT_DATE) "
                "AND (valid_to IS NULL OR valid_to >= CURRENT_DATE) ORDER BY code"
            )
        ]
    if not codes:
        raise SystemExit("the demo province has no commune")
    return codes


def reception_request(token: str, agencies: list[str]):
    """Counter receptions of the bench's procedure, each for one of `agencies` at random.
    Receptions of one agency on one day take its gapless code numbers one at a time (see
    `dossiers.services._issue_code`), so one agency alone measures that queue's ceiling,
    and several measure the system, as a province's counters load it."""

    def make(rng: random.Random) -> tuple[str, str, str, dict[str, str]]:
        body = json.dumps(
            {
                "mode": "receive",
                "procedure_code": PROCEDURE,
                "handling_agency_code": rng.choice(agencies),
                "applicant": {
                    "name": "Nguyễn Văn Thử",
                    "phone": f"09{rng.randrange(10**8):08d}",
                    "id_number": f"0012{rng.randrange(10**8):08d}",
                },
            }
        )
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        return "POST", "/api/v1/dossiers", body, headers

    return make


def lookup_request(samples: list[tuple[str, str]]):
    def make(rng: random.Random) -> tuple[str, str, None, dict[str, str]]:
        code, token = rng.choice(samples)
        return "GET", f"/api/v1/public/dossiers/{code}?factor={token}", None, {}

    return make


def seed(dsn: str, n: int) -> list[tuple[str, str]]:
    """Add `n` dossiers by copying a received one in SQL (two years of reception moments,
    a status mix), then ANALYZE. Returns a sample of (code, lookup token) for lookups."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'dossiers_dossier' ORDER BY ordinal_position"
            )
        ]
        overrides = {
            "code": "'BENCH-' || g",
            "lookup_token": "md5(g::text)",
            "received_at": "t.received_at - (g %% 730) * interval '1 day'",
            "due_at": "t.due_at - (g %% 730) * interval '1 day'",
            "initial_due_at": "t.initial_due_at - (g %% 730) * interval '1 day'",
            "status": "(ARRAY['returned','returned','returned','returned','returned',"
            "'returned','processing','resolved','awaiting_supplement','rejected'])[g %% 10 + 1]",
        }
        select = ", ".join(overrides.get(c, f"t.{c}") for c in columns if c != "id")
        names = ", ".join(c for c in columns if c != "id")
        started = time.monotonic()
        conn.execute(
            f"INSERT INTO dossiers_dossier ({names}) SELECT {select} FROM generate_series(1, "
            f"%s) AS g, (SELECT * FROM dossiers_dossier WHERE code IS NOT NULL LIMIT 1) AS t",
            (n,),
        )
        # What a table that grew over months is: vacuumed (visibility map and hint bits set,
        # so no autovacuum of the bulk insert runs during the measured phase), analysed,
        # and its pages written out by a checkpoint rather than during the phase.
        conn.execute("VACUUM (ANALYZE) dossiers_dossier")
        conn.execute("ANALYZE")
        conn.execute("CHECKPOINT")
        print(f"seeded {n:,} dossiers in {time.monotonic() - started:.1f} s", flush=True)
        return [
            (f"BENCH-{g}", token)
            for g, token in conn.execute(
                "SELECT g, md5(g::text) FROM generate_series(1, %s, %s) AS g",
                (n, max(1, n // 5000)),
            )
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="motcua_bench")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="Python threads per worker process (1, the fastest here: threads of one "
        "process contend for its GIL)",
    )
    parser.add_argument("--http-port", type=int, default=8099)
    args = parser.parse_args()
    with exclusive_run(), tempfile.TemporaryDirectory(prefix="motcua-bench-") as static_root:
        run(args, Path(static_root))


def production_env(dsn: str, static_root: Path, log_level: str = "WARNING") -> dict[str, str]:
    """The environment of a server run as in production over the database `dsn`."""
    return {
        **os.environ,
        "DATABASE_URL": dsn,
        "DJANGO_SETTINGS_MODULE": "motcua.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": log_level,
        # The API serves no static files; an empty folder stands for collectstatic's output
        # (WhiteNoise warns at start when the folder is missing).
        "STATIC_ROOT": str(static_root),
    }


def run(args: argparse.Namespace, static_root: Path) -> None:
    dsn = f"postgres://{args.user}@{args.host}:{args.port}/{args.database}"
    env = production_env(dsn, static_root)
    # The public lookup is rate limited per client address; the benchmark is one client.
    env["MOTCUA_API_PUBLIC_RATE"] = "100000000/minute"
    recreate_database(args.host, args.port, args.user, args.database)
    motcua(env, "migrate", "--noinput")
    motcua(env, "demo")
    token = create_token(env)
    agencies = handling_agencies(dsn)

    results: dict[str, object] = {
        "name": "api",
        "server": f"granian {importlib.metadata.version('granian')}",
        "workers": args.workers,
        "threads_per_worker": args.threads,
        "clients": args.clients,
        "seconds_per_phase": args.seconds,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "python_loop_ms_before": python_loop_ms(),
        "handling_agencies": agencies,
        "note": "client threads share the machine's cores with the server and PostgreSQL; "
        "receptions spread over the handling agencies at random, except in the one-agency "
        "phase, whose ceiling is one over the time a reception holds the agency's number",
    }
    server = Server(env, args.http_port, args.workers, args.threads)
    try:
        pid = server.process.pid
        province = reception_request(token, agencies)
        drive(args.http_port, 2, 3, province, pid)  # warm up
        results["receptions_empty_table"] = drive(
            args.http_port, args.clients, args.seconds, province, pid
        )
        print("receptions, empty table:", results["receptions_empty_table"], flush=True)
        results["receptions_one_agency_empty_table"] = drive(
            args.http_port, args.clients, args.seconds, reception_request(token, agencies[:1]), pid
        )
        print(
            f"receptions, empty table, {agencies[0]} alone:",
            results["receptions_one_agency_empty_table"],
            flush=True,
        )
        samples = seed(dsn, args.dossiers)
        results["dossiers_seeded"] = args.dossiers
        results["receptions_at_scale"] = drive(
            args.http_port, args.clients, args.seconds, province, pid
        )
        print(f"receptions at {args.dossiers:,}:", results["receptions_at_scale"], flush=True)
        results["public_lookup_at_scale"] = drive(
            args.http_port, args.clients, args.seconds, lookup_request(samples), pid
        )
        print("public lookup:", results["public_lookup_at_scale"], flush=True)
        results["worker_rss_mb"] = server.worker_rss_mb()  # goal: < 250 MB each
        print("worker RSS (MB):", results["worker_rss_mb"], flush=True)
        results["python_loop_ms_after"] = python_loop_ms()
        print(
            "python loop (ms), before and after:",
            results["python_loop_ms_before"],
            results["python_loop_ms_after"],
            flush=True,
        )
    finally:
        server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"wrote {RESULTS / 'api.json'}")


if __name__ == "__main__":
    main()
