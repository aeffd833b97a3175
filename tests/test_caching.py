"""`motcua.caching.ProcessCache`: a value is read once per recheck interval, an edit
forgotten in this process is read again at once, and what was not found is not kept."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from motcua import caching
from motcua.caching import ProcessCache

SETTING = "MOTCUA_TEST_RECHECK_SECONDS"


class Table:
    """Rows by key, counting the reads the cache makes of them."""

    def __init__(self, **rows: str) -> None:
        self.rows = dict(rows)
        self.reads: list[str] = []

    def __call__(self, key: str) -> str | None:
        self.reads.append(key)
        return self.rows.get(key)


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The cache's clock, moved by hand; the interval is 5 seconds."""
    setattr(settings, SETTING, 5)
    now = [1000.0]
    monkeypatch.setattr(caching, "time", SimpleNamespace(monotonic=lambda: now[0]))
    return now


def cache(max_entries: int = 100) -> ProcessCache[str, str]:
    return ProcessCache(recheck_setting=SETTING, max_entries=max_entries)


def test_a_value_is_read_once_within_the_interval(clock: list[float]) -> None:
    kept, table = cache(), Table(a="Xã A")
    assert kept.get("a", table) == "Xã A"
    table.rows["a"] = "Phường A"  # edited elsewhere: no signal here
    clock[0] += 4.9
    assert kept.get("a", table) == "Xã A"
    assert table.reads == ["a"]


def test_a_value_is_read_again_after_the_interval(clock: list[float]) -> None:
    kept, table = cache(), Table(a="Xã A")
    kept.get("a", table)
    table.rows["a"] = "Phường A"
    clock[0] += 5
    assert kept.get("a", table) == "Phường A"
    assert table.reads == ["a", "a"]
    # Kept again from that read on.
    clock[0] += 4
    assert kept.get("a", table) == "Phường A"
    assert table.reads == ["a", "a"]


def test_a_clock_set_back_reads_again(clock: list[float]) -> None:
    kept, table = cache(), Table(a="Xã A")
    kept.get("a", table)
    clock[0] -= 1
    kept.get("a", table)
    assert table.reads == ["a", "a"]


@pytest.mark.parametrize("seconds", [0, -1], ids=["zero-interval", "negative-interval"])
def test_an_interval_of_zero_or_less_reads_every_time(
    clock: list[float], settings: Any, seconds: float
) -> None:
    setattr(settings, SETTING, seconds)
    kept, table = cache(), Table(a="Xã A")
    for _ in range(3):
        assert kept.get("a", table) == "Xã A"
    assert table.reads == ["a", "a", "a"]


def test_the_interval_defaults_when_the_setting_is_absent(
    clock: list[float], settings: Any
) -> None:
    delattr(settings, SETTING)
    kept = ProcessCache[str, str](recheck_setting=SETTING, max_entries=10, recheck_default=2)
    table = Table(a="Xã A")
    kept.get("a", table)
    clock[0] += 1.9
    kept.get("a", table)
    clock[0] += 0.1
    kept.get("a", table)
    assert table.reads == ["a", "a"]


def test_the_setting_is_read_on_every_call(clock: list[float], settings: Any) -> None:
    kept, table = cache(), Table(a="Xã A")
    kept.get("a", table)
    setattr(settings, SETTING, 0)  # e.g. overridden by a test or a reload
    kept.get("a", table)
    assert table.reads == ["a", "a"]


def test_forget_reads_that_key_again_at_once(clock: list[float]) -> None:
    kept, table = cache(), Table(a="Xã A", b="Xã B")
    kept.get("a", table)
    kept.get("b", table)
    table.rows["a"] = "Phường A"
    kept.forget("a")
    kept.forget("never kept")
    assert kept.get("a", table) == "Phường A"
    assert kept.get("b", table) == "Xã B"
    assert table.reads == ["a", "b", "a"]


def test_clear_reads_every_key_again(clock: list[float]) -> None:
    kept, table = cache(), Table(a="Xã A", b="Xã B")
    kept.get("a", table)
    kept.get("b", table)
    kept.clear()
    assert len(kept) == 0
    kept.get("a", table)
    kept.get("b", table)
    assert table.reads == ["a", "b", "a", "b"]


def test_past_the_size_cap_the_cache_starts_again(clock: list[float]) -> None:
    kept, table = cache(max_entries=2), Table(a="Xã A", b="Xã B", c="Xã C")
    kept.get("a", table)
    kept.get("b", table)
    assert len(kept) == 2
    kept.get("c", table)
    assert len(kept) == 1
    kept.get("c", table)
    kept.get("a", table)
    assert table.reads == ["a", "b", "c", "a"]


def test_what_is_not_found_is_not_remembered(clock: list[float]) -> None:
    kept, table = cache(), Table()
    assert kept.get("a", table) is None
    assert len(kept) == 0
    table.rows["a"] = "Xã A"  # added elsewhere: found at once
    assert kept.get("a", table) == "Xã A"
    assert table.reads == ["a", "a"]


def test_a_value_gone_when_read_again_is_dropped(clock: list[float]) -> None:
    kept, table = cache(), Table(a="Xã A")
    kept.get("a", table)
    del table.rows["a"]
    clock[0] += 5
    assert kept.get("a", table) is None
    assert len(kept) == 0


def test_fresh_and_put_for_a_caller_that_loads_itself(clock: list[float]) -> None:
    kept = cache()
    assert kept.fresh("a") is None
    kept.put("a", "Xã A")
    clock[0] += 4.9
    assert kept.fresh("a") == "Xã A"
    clock[0] += 0.1
    assert kept.fresh("a") is None
