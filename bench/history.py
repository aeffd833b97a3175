"""Benchmark: how fast `motcua generate-history` fills PostgreSQL with a synthetic history.

Run as `python bench/history.py [--dossiers N]` (PostgreSQL on 127.0.0.1:5432, user postgres,
trust auth, as on the development machines and in CI). It recreates the database
`motcua_bench_history`, loads the demo province, then times `motcua generate-history
--dossiers N --years 2 --workers W` (generation in Python in W forked processes plus COPY
into PostgreSQL, with the tables' indexes in place) and reports dossiers and events per
second and the projected time for 2,000,000 dossiers (the goal: a few minutes). The
generator shares the machine's cores with PostgreSQL (and with whatever else runs), so the
figures are a floor.

Writes bench/results/history.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
TARGET = 2_000_000


def recreate_database(host: str, port: int, user: str, name: str) -> None:
    dsn = f"host={host} port={port} user={user} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def motcua(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "motcua"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def count(dsn: str, table: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="motcua_bench_history")
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--end", default="2026-11-20")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=min(4, os.cpu_count() or 1), help="generator processes"
    )
    args = parser.parse_args()

    dsn = f"postgres://{args.user}@{args.host}:{args.port}/{args.database}"
    env = {**os.environ, "DATABASE_URL": dsn, "DJANGO_SETTINGS_MODULE": "motcua.settings.dev"}
    recreate_database(args.host, args.port, args.user, args.database)
    motcua(env, "migrate", "--noinput")
    motcua(env, "demo")

    started = time.monotonic()
    out = motcua(
        env,
        "generate-history",
        f"--dossiers={args.dossiers}",
        f"--years={args.years}",
        f"--end={args.end}",
        f"--seed={args.seed}",
        f"--workers={args.workers}",
        "--no-progress",
    )
    seconds = time.monotonic() - started
    dossiers = count(dsn, "dossiers_dossier")
    events = count(dsn, "dossiers_dossierevent")
    rate = dossiers / seconds
    results = {
        "name": "history",
        "dossiers": dossiers,
        "events": events,
        "years": args.years,
        "workers": args.workers,
        "end": args.end,
        "seconds": round(seconds, 1),
        "dossiers_per_second": round(rate),
        "events_per_second": round(events / seconds),
        "projected_seconds_for_2m": round(TARGET / rate),
        "goal": "2,000,000 dossiers in a few minutes",
        "command_output": out.strip(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "note": "the generator's worker processes share the machine's cores with PostgreSQL "
        "and with other work on the machine; includes process start-up and catalogue loading",
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "history.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"wrote {RESULTS / 'history.json'}")


if __name__ == "__main__":
    main()
