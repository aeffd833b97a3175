"""Benchmark: Biểu 06 and the 766 index over a province-year of synthetic history on
PostgreSQL, with DuckDB over the same rows in Parquet as the reference (issue 5).

Run as `python bench/reports_bench.py [--dossiers N] [--years Y] [--reuse]` (PostgreSQL on
127.0.0.1:5432, user postgres, trust auth, as on the development machines and in CI). It
recreates the database `motcua_bench_reports`, migrates, loads the demo province, runs
`motcua generate-history --dossiers N --years Y --workers 2` (ending today) and
`motcua refresh-facts --rebuild`; `--reuse` skips all that when the database already holds
dossiers. Then, in this process (production settings), for the province H99 and the
reporting year (15/12 to 14/12) that overlaps the history the most, it times (best of
`--repeat`, the first run is cold): Biểu 06 live from the dossier rows, Biểu 06 from the
pre-aggregated facts, the 766 index, the export of the province's rows to Parquet and
DuckDB's Biểu 06 over that file.

Goals (DESIGN.md, issue 5), at 2,000,000 dossiers: Biểu 06 < 1 s, the 766 index < 2 s;
the DuckDB figure is the reference and the ratio PostgreSQL / DuckDB is reported. Everything
shares the machine's cores with PostgreSQL (and whatever else runs): the figures are a
floor. Writes bench/results/reports.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
PROVINCE = "H99"
GOALS = {"bieu06_seconds": 1.0, "index766_seconds": 2.0, "at_dossiers": 2_000_000}


def recreate_database(host: str, port: int, user: str, name: str) -> None:
    dsn = f"host={host} port={port} user={user} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(host: str, port: int, user: str, name: str) -> bool:
    dsn = f"host={host} port={port} user={user} dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None


def scalar(dsn: str, sql: str) -> Any:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None


def holds_dossiers(dsn: str) -> bool:
    try:
        return bool(scalar(dsn, "SELECT EXISTS (SELECT 1 FROM dossiers_dossier)"))
    except psycopg.Error:
        return False


def holds_facts(dsn: str) -> bool:
    try:
        return bool(scalar(dsn, "SELECT EXISTS (SELECT 1 FROM reports_dossierfact)"))
    except psycopg.Error:
        return False


def motcua(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "motcua"), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def timed_motcua(env: dict[str, str], *args: str) -> float:
    print(f"motcua {' '.join(args)} ...", flush=True)
    started = time.monotonic()
    motcua(env, *args)
    seconds = round(time.monotonic() - started, 1)
    print(f"  {seconds} s", flush=True)
    return seconds


def pick_year(first: dt.date, last: dt.date) -> int:
    """The reporting year (15/12 to 14/12) that overlaps the history [first, last] by the
    most days (so a full year when the history covers one; the latest on a tie). The demo
    catalogue starts on 1/7/2025, so a history ending in 2026 covers no full year yet."""
    from motcua.reports.periods import reporting_period

    def overlap(year: int) -> int:
        period = reporting_period("year", year)
        return (min(period.last_day, last) - max(period.first_day, first)).days + 1

    return max(range(first.year, last.year + 2), key=lambda year: (overlap(year), year))


def setup_django(dsn: str) -> None:
    os.environ["DATABASE_URL"] = dsn
    os.environ["DJANGO_SETTINGS_MODULE"] = "motcua.settings.production"
    os.environ.setdefault("SECRET_KEY", "bench-reports-" + "x" * 60)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5432)
    parser.add_argument("--user", default="postgres")
    parser.add_argument("--database", default="motcua_bench_reports")
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="generator processes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best kept)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip recreating and generating when the database already holds dossiers",
    )
    parser.add_argument(
        "--no-jit",
        action="store_true",
        help="time with PostgreSQL's JIT off (PGOPTIONS=-c jit=off for the timed connection): "
        "JIT compilation costs these one-off aggregate queries up to 1-2 s",
    )
    args = parser.parse_args()

    dsn = f"postgres://{args.user}@{args.host}:{args.port}/{args.database}"
    env = {**os.environ, "DATABASE_URL": dsn, "DJANGO_SETTINGS_MODULE": "motcua.settings.dev"}
    results: dict[str, Any] = {"name": "reports", "agency": PROVINCE, "goals": GOALS}

    reused = (
        args.reuse
        and database_exists(args.host, args.port, args.user, args.database)
        and holds_dossiers(dsn)
    )
    setup: dict[str, Any] = {"reused_database": reused}
    if not reused:
        recreate_database(args.host, args.port, args.user, args.database)
        setup["migrate_seconds"] = timed_motcua(env, "migrate", "--noinput")
        setup["demo_seconds"] = timed_motcua(env, "demo")
        setup["generate_history_seconds"] = timed_motcua(
            env,
            "generate-history",
            f"--dossiers={args.dossiers}",
            f"--years={args.years}",
            f"--end={dt.date.today().isoformat()}",
            f"--seed={args.seed}",
            f"--workers={args.workers}",
            "--no-progress",
        )
        setup["refresh_facts_rebuild_seconds"] = timed_motcua(env, "refresh-facts", "--rebuild")
    else:
        # A reused database may predate the code's newest migrations.
        setup["migrate_seconds"] = timed_motcua(env, "migrate", "--noinput")
        if holds_facts(dsn):
            setup["refresh_facts_seconds"] = timed_motcua(env, "refresh-facts")
        else:
            setup["refresh_facts_rebuild_seconds"] = timed_motcua(env, "refresh-facts", "--rebuild")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")
    results["setup"] = setup

    if args.no_jit:
        os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c jit=off").strip()
    setup_django(dsn)
    import reports  # bench/reports.py, beside this file

    from motcua.domain.calendar import VN_TZ

    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT count(*), min(received_at), max(received_at) FROM dossiers_dossier"
        ).fetchone()
        events = conn.execute("SELECT count(*) FROM dossiers_dossierevent").fetchone()
        server = conn.execute("SELECT version()").fetchone()
    assert row is not None and events is not None
    dossiers, first, last = row
    first_day, last_day = first.astimezone(VN_TZ).date(), last.astimezone(VN_TZ).date()
    year = pick_year(first_day, last_day)
    results.update(
        dossiers=dossiers,
        events=events[0],
        history=[first_day.isoformat(), last_day.isoformat()],
        year=year,
        postgresql=server[0].split(" on ")[0] if server else None,
        postgresql_jit=not args.no_jit,
    )
    print(f"{dossiers:,} dossiers from {first_day} to {last_day}; reporting year {year}")

    live = reports.run_bieu06(PROVINCE, year, repeat=args.repeat)
    print(f"Biểu 06 live: {live['seconds']} s", flush=True)
    facts = reports.run_bieu06(PROVINCE, year, repeat=args.repeat, source="facts")
    print(f"Biểu 06 from facts: {facts['seconds']} s", flush=True)
    index = reports.run_index766(PROVINCE, year, repeat=args.repeat)
    print(f"766 index: {index['seconds']} s", flush=True)
    form07b = reports.run_bieu07b(PROVINCE, year, repeat=args.repeat)
    print(f"Biểu II.07b: {form07b['seconds']} s", flush=True)
    graded = reports.run_evaluation(PROVINCE, year, repeat=args.repeat)
    print(f"Evaluation (9 criteria): {graded['seconds']} s", flush=True)

    with tempfile.TemporaryDirectory(prefix="motcua_bench_reports_") as tmp:
        parquet = str(Path(tmp) / "dossiers.parquet")
        started = time.perf_counter()
        exported = reports.export_parquet(PROVINCE, parquet)
        export_seconds = round(time.perf_counter() - started, 2)
        print(f"Parquet export: {exported:,} rows in {export_seconds} s", flush=True)
        duck = reports.duckdb_bieu06(parquet, year, repeat=args.repeat)
        duck["parquet_rows"] = exported
        duck["parquet_bytes"] = Path(parquet).stat().st_size
        duck["export_seconds"] = export_seconds
    print(f"DuckDB Biểu 06: {duck['seconds']} s", flush=True)

    differing = sorted(k for k, v in duck["totals"].items() if live["totals"].get(k) != v)
    results.update(
        bieu06_live=live,
        bieu06_facts=facts,
        index766=index,
        bieu07b=form07b,
        evaluation=graded,
        facts_equal_live=facts["totals"] == live["totals"],
        duckdb_bieu06=duck,
        duckdb_totals_differ_in=differing,
        ratio_live_to_duckdb=round(live["best"] / duck["best"], 1),
        ratio_facts_to_duckdb=round(facts["best"] / duck["best"], 2),
        meets_goals={
            "bieu06_live": live["best"] < GOALS["bieu06_seconds"],
            "bieu06_facts": facts["best"] < GOALS["bieu06_seconds"],
            "index766": index["best"] < GOALS["index766_seconds"],
        },
        python=platform.python_version(),
        machine=f"{platform.machine()} {os.cpu_count()} cores",
        timestamp=datetime.now(UTC).isoformat(timespec="seconds"),
        note="best of the runs; PostgreSQL and DuckDB share the machine's cores with "
        "everything else on it. DuckDB reads only the dossier columns (no events): its "
        "totals may differ for dossiers whose clock stopped (see bench/reports.py).",
    )
    summary = {
        k: results[k] for k in ("dossiers", "year", "ratio_live_to_duckdb", "ratio_facts_to_duckdb")
    }
    summary.update(
        bieu06_live_best=live["best"],
        bieu06_facts_best=facts["best"],
        index766_best=index["best"],
        duckdb_best=duck["best"],
        meets_goals=results["meets_goals"],
    )
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "reports.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
