"""The shared sliding-window limiter. Moments are passed in, so no test depends on where
the real clock stands inside a window."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.integrations.ratelimit import Rate, client_address, exhausted, hit, reset

PER_MINUTE = Rate(count=10, seconds=60)
T0 = 1_800_000_000.0 - (1_800_000_000 % 60)  # the start of a fixed window


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/minute", Rate(10, 60)),
        ("20/hour", Rate(20, 3600)),
        ("600/minutes", Rate(600, 60)),
        ("5/15minutes", Rate(5, 900)),
        ("3/second", Rate(3, 1)),
    ],
)
def test_rates_are_read_from_text(text: str, rate: Rate) -> None:
    assert Rate.parse(text) == rate


def test_requests_within_the_rate_pass_and_the_next_one_is_told_to_wait() -> None:
    passed = [hit("b", "client", PER_MINUTE, now=T0 + i) for i in range(10)]
    assert passed == [None] * 10
    wait = hit("b", "client", PER_MINUTE, now=T0 + 10)
    assert wait is not None
    assert wait >= 50  # the first request leaves the window only after a minute


def test_refused_requests_are_not_counted() -> None:
    for i in range(10):
        hit("b", "client", PER_MINUTE, now=T0 + i)
    first = hit("b", "client", PER_MINUTE, now=T0 + 20)
    for _ in range(50):
        hit("b", "client", PER_MINUTE, now=T0 + 20)
    assert hit("b", "client", PER_MINUTE, now=T0 + 20) == first


def test_a_burst_across_a_window_boundary_cannot_pass_twice_the_rate() -> None:
    # Plain fixed windows let 10 through at 0:59 and 10 more at 1:00.
    for _ in range(10):
        assert hit("b", "client", PER_MINUTE, now=T0 + 59) is None
    passed = sum(hit("b", "client", PER_MINUTE, now=T0 + 61) is None for _ in range(10))
    assert passed == 0
    # Halfway through the next window, half of the old burst still weighs.
    passed = sum(hit("b", "client", PER_MINUTE, now=T0 + 90) is None for _ in range(10))
    assert passed == 5


def test_subjects_and_buckets_count_apart() -> None:
    for i in range(10):
        hit("b", "one", PER_MINUTE, now=T0 + i)
    assert hit("b", "one", PER_MINUTE, now=T0 + 10) is not None
    assert hit("b", "two", PER_MINUTE, now=T0 + 10) is None
    assert hit("other", "one", PER_MINUTE, now=T0 + 10) is None


def test_exhausted_reads_without_counting_and_reset_forgets() -> None:
    failures = Rate(3, 3600)
    for i in range(2):
        hit("code", "H99-1", failures, now=T0 + i)
    assert exhausted("code", "H99-1", failures, now=T0 + 5) is None
    assert exhausted("code", "H99-1", failures, now=T0 + 5) is None  # still not counted
    hit("code", "H99-1", failures, now=T0 + 6)
    assert exhausted("code", "H99-1", failures, now=T0 + 7) is not None
    reset("code", "H99-1", failures, now=T0 + 8)
    assert exhausted("code", "H99-1", failures, now=T0 + 9) is None


@settings(max_examples=60, deadline=None)
@given(
    offsets=st.lists(st.floats(min_value=0, max_value=170), min_size=1, max_size=40),
    count=st.integers(min_value=1, max_value=8),
)
def test_the_wait_given_is_enough_and_not_much_more(offsets: list[float], count: int) -> None:
    cache.clear()
    rate = Rate(count, 60)
    for offset in sorted(offsets):
        hit("p", "client", rate, now=T0 + offset)
    end = T0 + max(offsets)
    wait = hit("p", "client", rate, now=end)
    if wait is None:
        return
    # Refused requests change nothing, so probing earlier moments is harmless.
    if wait > 1:
        assert hit("p", "client", rate, now=end + wait - 1.001) is not None
    assert hit("p", "client", rate, now=end + wait) is None


def test_forwarded_addresses_are_believed_only_behind_known_proxies(
    settings: Any,
) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2"
    )
    assert client_address(request) == "10.0.0.1"
    settings.MOTCUA_TRUSTED_PROXIES = 1
    assert client_address(request) == "2.2.2.2"
    settings.MOTCUA_TRUSTED_PROXIES = 2
    assert client_address(request) == "1.1.1.1"
