"""The database set-up each backend needs in production."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
    # The test database is in memory, where SQLite reports "memory"; a file database is WAL.
    assert mode in {"wal", "memory"}
    assert busy_timeout >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_file_database_is_wal(tmp_path) -> None:
    import sqlite3

    from motcua.settings.base import database_from_url

    config = database_from_url(f"sqlite:///{tmp_path / 'db' / 'x.sqlite3'}")
    conn = sqlite3.connect(config["NAME"])
    conn.executescript(config["OPTIONS"]["init_command"])
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_has_trigram_search_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'procedure_name_folded_trgm'"
        )
        (indexdef,) = cursor.fetchone()
    assert {"pg_trgm", "unaccent"} <= extensions
    assert "gin_trgm_ops" in indexdef


def test_postgresql_prepares_its_statements_unless_told_not_to(monkeypatch) -> None:
    from motcua.settings.base import database_from_url

    url = "postgres://postgres@127.0.0.1:5432/x"
    options = database_from_url(url)["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    monkeypatch.setenv("PG_PREPARE_THRESHOLD", "1")
    assert database_from_url(url)["OPTIONS"]["prepare_threshold"] == 1
    monkeypatch.setenv("PG_PREPARE_THRESHOLD", "off")
    assert database_from_url(url)["OPTIONS"] == {"options": "-c jit=off"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_runs_a_repeated_statement_prepared() -> None:
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    assert threshold is not None
    with connection.cursor() as cursor:
        for _ in range(threshold + 1):
            cursor.execute("SELECT count(*) FROM agencies_agency WHERE code = %s", ["H99"])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        (prepared,) = cursor.fetchone()
    assert prepared >= 1
