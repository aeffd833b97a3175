"""Timing helpers for the reports (a library: the lead's bench runner calls these).

Call them with Django set up (`DJANGO_SETTINGS_MODULE`, `django.setup()`) against a database
holding the history (`motcua generate-history`). Goals (DESIGN.md, issue 5): Biểu 06 for a
province-year of 2,000,000 dossiers on PostgreSQL under 1 s; the 766 index under 2 s;
DuckDB running the same Biểu 06 aggregation over the same rows exported to Parquet as the
reference.

    run_bieu06("H99", 2026) -> {"seconds": [...], "best": ..., "totals": {...}, ...}
    run_bieu06("H99", 2026, source="facts")  (after run_facts(rebuild=True))
    run_facts(rebuild=True) -> {"dossiers": ..., "seconds": ...}
    run_index766("H99", 2026) -> {...}
    run_bieu07b("H99", 2026), run_evaluation("H99", 2026) -> {"seconds": ..., ...}
    export_parquet("H99", "/tmp/dossiers.parquet") -> rows written (PostgreSQL only)
    duckdb_bieu06("/tmp/dossiers.parquet", 2026) -> {"seconds": ..., "totals": ...}
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from motcua.agencies.models import Agency
from motcua.reports.bieu06 import COLUMNS, bieu06
from motcua.reports.index766 import index766
from motcua.reports.periods import Period, reporting_period


def _timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        seconds.append(round(time.perf_counter() - started, 4))
    return seconds, result


def _year(year: int, cutoff_day: int | None) -> Period:
    return reporting_period("year", year, cutoff_day=cutoff_day)


def run_bieu06(
    agency_code: str,
    year: int,
    *,
    repeat: int = 3,
    rows_by: str = "field",
    cutoff_day: int | None = 15,
    source: str = "live",
) -> dict[str, Any]:
    """Biểu 06 for the agency's subtree over the reporting year: the wall time of each run
    (the first one runs on a cold cache), the totals and whether the identities hold."""
    agency = Agency.objects.get(code=agency_code)
    period = _year(year, cutoff_day)
    seconds, report = _timed(
        lambda: bieu06(agency=agency, period=period, rows_by=rows_by, source=source), repeat
    )
    totals = report.totals
    return {
        "report": "bieu06",
        "agency": agency_code,
        "period": [period.first_day.isoformat(), period.last_day.isoformat()],
        "rows_by": rows_by,
        "source": source,
        "seconds": seconds,
        "best": min(seconds),
        "rows": sum(len(g.rows) for g in report.groups),
        "totals": dataclasses.asdict(totals),
        "identities_hold": totals.identities_hold,
    }


def run_facts(*, rebuild: bool = False) -> dict[str, Any]:
    """Time `motcua refresh-facts` (or `--rebuild`), which `source="facts"` needs first."""
    from motcua.reports.facts import facts_rebuild, facts_refresh

    started = time.perf_counter()
    dossiers = facts_rebuild() if rebuild else facts_refresh()
    return {
        "report": "facts-rebuild" if rebuild else "facts-refresh",
        "dossiers": dossiers,
        "seconds": round(time.perf_counter() - started, 4),
    }


def run_index766(
    agency_code: str, year: int, *, repeat: int = 3, cutoff_day: int | None = 15
) -> dict[str, Any]:
    """The 766 index for the agency's subtree over the reporting year."""
    agency = Agency.objects.get(code=agency_code)
    period = _year(year, cutoff_day)
    seconds, result = _timed(lambda: index766(agency=agency, period=period), repeat)
    return {
        "report": "index766",
        "agency": agency_code,
        "period": [period.first_day.isoformat(), period.last_day.isoformat()],
        "seconds": seconds,
        "best": min(seconds),
        "score": str(result.score),
        "scored_max_points": str(result.scored_max_points),
    }


def run_bieu07b(
    agency_code: str, year: int, *, repeat: int = 3, cutoff_day: int | None = 15
) -> dict[str, Any]:
    """Biểu II.07b (the catalogue in force at the year's last day) for the subtree."""
    from motcua.reports.bieu07b import bieu07b

    agency = Agency.objects.get(code=agency_code)
    period = _year(year, cutoff_day)
    seconds, result = _timed(lambda: bieu07b(agency=agency, period=period), repeat)
    return {
        "report": "bieu07b",
        "seconds": seconds,
        "best": min(seconds),
        "totals": dataclasses.asdict(result.totals),
    }


def run_evaluation(
    agency_code: str, year: int, *, repeat: int = 3, cutoff_day: int | None = 15
) -> dict[str, Any]:
    """The 9-criterion evaluation of every agency of the subtree over the year."""
    from motcua.reports.evaluation import evaluation

    agency = Agency.objects.get(code=agency_code)
    period = _year(year, cutoff_day)
    seconds, rows = _timed(lambda: evaluation(agency=agency, period=period), repeat)
    return {
        "report": "evaluation",
        "seconds": seconds,
        "best": min(seconds),
        "agencies": len(rows),
        "dossiers": sum(r.dossiers for r in rows),
    }


_EXPORT_SQL = """
SELECT d.id, a.path AS agency_path, a.level AS agency_level, p.field_id, d.channel,
       d.status, d.timeliness, d.result_number, d.received_at, d.finished_at, d.due_at,
       d.initial_due_at, d.supplement_count, d.paused_seconds, d.paused_since
FROM dossiers_dossier d
JOIN agencies_agency a ON a.id = d.handling_agency_id
JOIN procedures_procedure p ON p.id = d.procedure_id
WHERE a.path LIKE %s AND d.received_at IS NOT NULL
"""


def export_parquet(agency_code: str, path: str) -> int:
    """Write the columns Biểu 06 reads, for the agency's subtree, to a Parquet file
    (PostgreSQL: COPY to a CSV file, which DuckDB turns into Parquet). Returns the rows."""
    import duckdb
    from django.db import connection

    agency = Agency.objects.get(code=agency_code)
    with (
        tempfile.NamedTemporaryFile("w+b", suffix=".csv", delete=False) as csv_file,
        connection.cursor() as cursor,
    ):
        # COPY takes no parameters: the value is quoted into the SQL by a client-side cursor
        # (the connection's own cursors bind server-side, see PG_PREPARE_THRESHOLD).
        sql = psycopg.ClientCursor(connection.connection).mogrify(_EXPORT_SQL, [agency.path + "%"])
        copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)"
        with cursor.cursor.copy(copy_sql) as copy:
            for block in copy:
                csv_file.write(block)
    try:
        con = duckdb.connect()
        con.execute(
            f"COPY (SELECT * FROM read_csv_auto('{csv_file.name}', header=true)) "
            f"TO '{path}' (FORMAT parquet)"
        )
        (rows,) = con.execute(f"SELECT count(*) FROM '{path}'").fetchone()  # type: ignore[misc]
    finally:
        Path(csv_file.name).unlink()
    return int(rows)


def duckdb_bieu06(
    parquet_path: str, year: int, *, repeat: int = 3, cutoff_day: int | None = 15
) -> dict[str, Any]:
    """The same conditional aggregation in DuckDB over the exported rows, by level and
    field. It reads only the dossier columns: a dossier whose clock stopped is judged on
    `due_at` (and counted in time while awaiting a supplement now), where the Django
    report also reads its events; the totals agree except for such dossiers."""
    import duckdb

    period = _year(year, cutoff_day)
    start = period.start.isoformat()
    end = period.end.isoformat()
    not_withdrawn = f"NOT (status = 'withdrawn' AND finished_at < TIMESTAMPTZ '{end}')"
    in_period = f"finished_at >= TIMESTAMPTZ '{start}' AND finished_at < TIMESTAMPTZ '{end}'"
    resolved = f"{not_withdrawn} AND {in_period}"
    rejected = "(status = 'rejected' OR (status = 'returned' AND coalesce(result_number, '') = ''))"
    open_ = f"{not_withdrawn} AND (finished_at IS NULL OR finished_at >= TIMESTAMPTZ '{end}')"
    overdue = (
        f"due_at IS NOT NULL AND due_at < TIMESTAMPTZ '{end}' AND status <> 'awaiting_supplement'"
    )
    new = f"{not_withdrawn} AND received_at >= TIMESTAMPTZ '{start}'"
    # Late by date in Vietnam's time (UTC+7 all year), as Biểu 06 compares.
    late = (
        "(timeliness = 'late' AND floor((epoch(finished_at) + 25200) / 86400)"
        " > floor((epoch(due_at) + 25200) / 86400))"
    )
    columns = {
        "received": not_withdrawn,
        "online": f"{new} AND channel = 'online'",
        "counter_postal": f"{new} AND channel <> 'online'",
        "carried_over": f"{not_withdrawn} AND received_at < TIMESTAMPTZ '{start}'",
        "resolved": resolved,
        "early": f"{resolved} AND NOT {rejected} AND timeliness = 'early'",
        "on_time": f"{resolved} AND ({rejected} OR NOT (timeliness = 'early' OR {late}))",
        "late": f"{resolved} AND NOT {rejected} AND {late}",
        "in_progress": open_,
        "in_time": f"{open_} AND NOT ({overdue})",
        "overdue": f"{open_} AND {overdue}",
        "withdrawn": f"status = 'withdrawn' AND {in_period}",
    }
    select = ", ".join(
        f"count(*) FILTER (WHERE {cond}) AS {name}" for name, cond in columns.items()
    )
    sql = (
        f"SELECT agency_level, field_id, {select} FROM '{parquet_path}' "
        f"WHERE received_at < TIMESTAMPTZ '{end}' "
        f"AND (finished_at IS NULL OR finished_at >= TIMESTAMPTZ '{start}') "
        "GROUP BY agency_level, field_id"
    )
    con = duckdb.connect()
    seconds, rows = _timed(lambda: con.execute(sql).fetchall(), repeat)
    totals = {name: sum(row[i + 2] for row in rows) for i, name in enumerate(COLUMNS)}
    return {
        "report": "bieu06-duckdb",
        "seconds": seconds,
        "best": min(seconds),
        "rows": len(rows),
        "totals": totals,
    }
