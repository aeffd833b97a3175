"""Dossier numbers under concurrent receptions: never a duplicate, never a gap (issue 3,
Codes and concurrency). Real threads, each with its own database connection, receive
walk-in dossiers of one agency on one day at the same time.

On PostgreSQL the threads share the test database. On SQLite the test database is in
memory, where connections of different threads cannot queue on a lock; the SQLite test
copies it to a file (with the backup API) and points each thread's connection at the file,
in WAL mode with IMMEDIATE transactions and a busy timeout as in production."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierCodeSequence, DossierEvent

from .factories import MONDAY, World, make_world, receive_walk_in

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
PER_THREAD = 25
# SQLite serialises writers anyway: fewer receptions prove the same and keep the suite fast.
PER_THREAD_SQLITE = 10
PREFIX = "H98.50.01-260309-"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: the threads share the test database there (CI runs it with "
    "DATABASE_URL=postgres://...)",
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    """The world, committed: other connections see it."""
    return make_world()


class Boom(Exception):
    """A failure inside the reception transaction, after the number was taken."""


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> threading.local:
    """Receptions in a thread whose `failing.now` is true fail at their last write (the
    outbox message), after the dossier, its number and its event were written."""
    flag = threading.local()
    enqueue = services.outbox_enqueue

    def outbox_enqueue(**kwargs: Any) -> None:
        if getattr(flag, "now", False):
            raise Boom
        enqueue(**kwargs)

    monkeypatch.setattr(services, "outbox_enqueue", outbox_enqueue)
    return flag


def run_threads(
    work: Callable[[int], list[str]], *, prepare: Callable[[], None] = lambda: None
) -> tuple[list[str], list[BaseException]]:
    """Run `work(i)` in THREADS threads started together; each thread prepares and then
    closes its own connection. Returns the codes issued and the unexpected errors."""
    codes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def target(i: int) -> None:
        try:
            prepare()
            barrier.wait()
            issued = work(i)
            with lock:
                codes.extend(issued)
        except BaseException as error:  # reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a reception thread hangs"
    return codes, errors


def receptions(
    world: World, flag: threading.local | None = None, *, each: int = PER_THREAD
) -> Callable[[int], list[str]]:
    """Each thread receives `each` walk-ins; with `flag`, every fifth one fails."""

    def work(i: int) -> list[str]:
        issued = []
        for n in range(each):
            fail = flag is not None and n % 5 == 4
            if flag is not None:
                flag.now = fail
            try:
                issued.append(receive_walk_in(world, now=MONDAY).code or "")
            except Boom:
                assert fail
        return issued

    return work


def numbers(codes: list[str]) -> list[int]:
    assert all(code.startswith(PREFIX) for code in codes), codes[:3]
    return sorted(int(code.removeprefix(PREFIX)) for code in codes)


@on_postgresql
def test_concurrent_receptions_get_every_number_once(committed_world: World) -> None:
    codes, errors = run_threads(receptions(committed_world))

    assert errors == []
    total = THREADS * PER_THREAD
    assert numbers(codes) == list(range(1, total + 1))
    assert Dossier.objects.filter(code__in=codes).count() == total
    assert DossierEvent.objects.filter(dossier__code__in=codes).count() == total
    assert DossierCodeSequence.objects.get(agency=committed_world.home.ward).last_number == total


@on_postgresql
def test_failed_concurrent_receptions_consume_no_number(
    committed_world: World, failing: threading.local
) -> None:
    codes, errors = run_threads(receptions(committed_world, failing))

    assert errors == []
    committed = THREADS * (PER_THREAD - PER_THREAD // 5)
    assert numbers(codes) == list(range(1, committed + 1))
    assert Dossier.objects.count() == committed
    assert DossierCodeSequence.objects.get(agency=committed_world.home.ward).last_number == (
        committed
    )


def test_a_failed_reception_gives_its_number_back(
    committed_world: World, failing: threading.local
) -> None:
    first = receive_walk_in(committed_world, now=MONDAY)
    failing.now = True
    with pytest.raises(Boom):
        receive_walk_in(committed_world, now=MONDAY)
    failing.now = False

    second = receive_walk_in(committed_world, now=MONDAY)

    assert (first.code, second.code) == (f"{PREFIX}0001", f"{PREFIX}0002")
    assert Dossier.objects.count() == 2
    assert DossierEvent.objects.count() == 2


@pytest.fixture
def sqlite_file(committed_world: World, tmp_path: Path) -> Iterator[Path]:
    """A file copy of the (committed) in-memory test database."""
    path = tmp_path / "motcua.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    yield path


def use_file(path: Path) -> Callable[[], None]:
    def prepare() -> None:
        # Only this thread's connection: Django keeps one connection object per thread.
        own = connections["default"]
        options = dict(own.settings_dict.get("OPTIONS") or {})
        # Writers queue on the busy timeout; on a loaded machine (the suite runs on every
        # core) the last of 80 receptions may wait longer than production's 20 s.
        options["timeout"] = 120
        options["init_command"] = str(options.get("init_command", "")).replace(
            "busy_timeout=20000", "busy_timeout=120000"
        )
        own.settings_dict = {**own.settings_dict, "NAME": str(path), "OPTIONS": options}

    return prepare


def committed_in(path: Path) -> tuple[list[str], int, int]:
    with sqlite3.connect(path) as db:
        codes = [row[0] for row in db.execute("SELECT code FROM dossiers_dossier")]
        events = db.execute("SELECT COUNT(*) FROM dossiers_dossierevent").fetchone()[0]
        last = db.execute("SELECT last_number FROM dossiers_dossiercodesequence").fetchone()[0]
    return codes, events, last


@on_sqlite
def test_concurrent_receptions_on_a_sqlite_file_get_every_number_once(
    committed_world: World, sqlite_file: Path
) -> None:
    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("SELECT COUNT(*) FROM dossiers_dossier").fetchone()[0] == 0

    codes, errors = run_threads(
        receptions(committed_world, each=PER_THREAD_SQLITE), prepare=use_file(sqlite_file)
    )

    assert errors == []
    total = THREADS * PER_THREAD_SQLITE
    assert numbers(codes) == list(range(1, total + 1))
    stored, events, last = committed_in(sqlite_file)
    assert sorted(stored) == sorted(codes)
    assert (events, last) == (total, total)
    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@on_sqlite
def test_failed_concurrent_receptions_on_a_sqlite_file_consume_no_number(
    committed_world: World, sqlite_file: Path, failing: threading.local
) -> None:
    codes, errors = run_threads(
        receptions(committed_world, failing, each=PER_THREAD_SQLITE),
        prepare=use_file(sqlite_file),
    )

    assert errors == []
    committed = THREADS * (PER_THREAD_SQLITE - PER_THREAD_SQLITE // 5)
    assert numbers(codes) == list(range(1, committed + 1))
    stored, events, last = committed_in(sqlite_file)
    assert sorted(stored) == sorted(codes)
    assert (events, last) == (committed, committed)
