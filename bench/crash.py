"""Reliability check: kill -9 during load loses no acknowledged dossier (DESIGN.md).

Run as `python bench/crash.py` (PostgreSQL on 127.0.0.1:5432, user postgres, as for
`bench/api.py`). It recreates the database `motcua_crash`, loads the demo province and
serves the project as in production (granian, 2 worker processes). Client threads post
counter receptions, each with its own `Idempotency-Key`, and while they do, the server and
its workers are killed with SIGKILL; a new server is started and the load goes on, for
`--rounds` crashes. Then:

- every reception answered 201 is in the database, with the code it was answered;
- every request left without an answer is sent again with its key: it is answered once,
  either with the dossier it had committed before the crash or with a new one, so each key
  has exactly one dossier and no reception is lost or doubled;
- the codes of each agency and day run from 1 without a gap (a reception cut off by the
  crash gave its number back with its transaction).

Writes bench/results/crash.json; exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from api import (
    RESULTS,
    Client,
    Server,
    create_token,
    exclusive_run,
    handling_agencies,
    motcua,
    production_env,
    reception_request,
    recreate_database,
)


class Load:
    """Client threads sending receptions until stopped; what each key was answered."""

    def __init__(self, port: int, token: str, agencies: list[str], clients: int) -> None:
        self.port, self.clients = port, clients
        self.make = reception_request(token, agencies)
        self.lock = threading.Lock()
        self.acknowledged: dict[str, str] = {}  # key -> code answered with 201
        self.unanswered: dict[str, tuple[str, str, dict[str, str]]] = {}  # key -> request
        self.refused: dict[str, int] = {}  # key -> status (not expected)
        self.stopping = threading.Event()

    def run(self) -> list[threading.Thread]:
        self.stopping.clear()
        threads = [threading.Thread(target=self._worker, args=(i,)) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads

    def _worker(self, i: int) -> None:
        client = Client(self.port, timeout=10)
        rng = random.Random(secrets.randbits(32))
        while not self.stopping.is_set():
            _method, path, body, headers = self.make(rng)
            key = headers["Idempotency-Key"]
            self.send(client, key, path, body, headers)
        client.close()

    def send(self, client: Client, key: str, path: str, body: str, headers: dict[str, str]) -> None:
        try:
            status, content = client.request("POST", path, body, headers)
        except (OSError, ValueError, IndexError):
            client.close()
            with self.lock:
                self.unanswered[key] = (path, body, headers)
            time.sleep(0.05)  # the server is away: do not spin
            return
        with self.lock:
            self.unanswered.pop(key, None)
            if status == 201:
                self.acknowledged[key] = json.loads(content)["code"]
            else:
                self.refused[key] = status


def gaps(codes: list[str]) -> dict[str, list[int]]:
    """The numbers missing in each `<agency>-<YYMMDD>` series of `codes`."""
    series: dict[str, list[int]] = defaultdict(list)
    for code in codes:
        prefix, _, number = code.rpartition("-")
        series[prefix].append(int(number))
    found = {}
    for prefix, numbers in series.items():
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing or len(numbers) != len(set(numbers)):
            found[prefix] = missing
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="motcua_crash")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3, help="load before each crash")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--http-port", type=int, default=8098)
    args = parser.parse_args()
    with exclusive_run(), tempfile.TemporaryDirectory(prefix="motcua-crash-") as static_root:
        ok = run(args, Path(static_root))
    raise SystemExit(0 if ok else 1)


def run(args: argparse.Namespace, static_root: Path) -> bool:
    dsn = f"postgres://{args.user}@{args.host}:{args.port}/{args.database}"
    env = production_env(dsn, static_root, log_level="ERROR")
    recreate_database(args.host, args.port, args.user, args.database)
    motcua(env, "migrate", "--noinput")
    motcua(env, "demo")
    token = create_token(env)
    load = Load(args.http_port, token, handling_agencies(dsn), args.clients)
    crashes = []
    for _round in range(args.rounds):
        server = Server(env, args.http_port, 2, 1)
        threads = load.run()
        time.sleep(args.seconds * random.uniform(0.7, 1.3))
        before = len(load.acknowledged)
        server.kill()
        crashes.append({"acknowledged_before": before})
        load.stopping.set()
        for thread in threads:
            thread.join()
    with psycopg.connect(dsn) as conn:
        before_retry = {code for (code,) in conn.execute("SELECT code FROM dossiers_dossier")}
    # Back up: every request left without an answer is sent again with its key.
    server = Server(env, args.http_port, 2, 1)
    try:
        in_flight = dict(load.unanswered)
        client = Client(args.http_port)
        for key, (path, body, headers) in in_flight.items():
            load.send(client, key, path, body, headers)
        client.close()
        replayed = {key: load.acknowledged.get(key) for key in in_flight}
    finally:
        server.stop()

    with psycopg.connect(dsn) as conn:
        stored = [code for (code,) in conn.execute("SELECT code FROM dossiers_dossier")]
        records = conn.execute(
            "SELECT count(*) FROM integrations_idempotencyrecord WHERE status_code = 201"
        ).fetchone()[0]
    stored_set = set(stored)
    lost = sorted(code for code in load.acknowledged.values() if code not in stored_set)
    answered = list(load.acknowledged.values())
    doubled = len(answered) - len(set(answered))
    extra = sorted(stored_set - set(answered))  # in the database, never answered to anyone
    found_gaps = gaps(stored)
    checks = {
        "no acknowledged dossier lost": not lost,
        "every request in flight answered once on retry": all(replayed.values()),
        "no key with two dossiers": doubled == 0 and len(stored) == len(stored_set),
        "no dossier that no key was answered with": not extra,
        "codes gapless per agency and day": not found_gaps,
        "no refusal": not load.refused,
    }
    results = {
        "name": "crash",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "rounds": args.rounds,
        "clients": args.clients,
        "receptions_acknowledged": len(load.acknowledged),
        "requests_in_flight_at_crashes": len(in_flight),
        # Committed before the crash, the answer lost: the retry got that dossier back.
        "in_flight_that_had_committed": sum(
            1 for code in replayed.values() if code and code in before_retry
        ),
        "acknowledged_at_each_crash": [c["acknowledged_before"] for c in crashes],
        "dossiers_stored": len(stored),
        "idempotency_records_201": records,
        "lost": lost[:20],
        "extra": extra[:20],
        "gaps": {k: v[:20] for k, v in list(found_gaps.items())[:20]},
        "refused_statuses": sorted(set(load.refused.values())),
        "checks": checks,
        "ok": all(checks.values()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "crash.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    with psycopg.connect(f"postgres://{args.user}@{args.host}:{args.port}/postgres") as admin:
        admin.autocommit = True
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return bool(results["ok"])


if __name__ == "__main__":
    main()
