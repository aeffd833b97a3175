"""Agencies by code, kept per process: edits in this process show at once, other
processes' edits within the recheck interval."""

from __future__ import annotations

from typing import Any

import pytest

from motcua import caching
from motcua.agencies import lookup
from motcua.agencies.models import Agency, AgencyLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def slow_recheck(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    settings.MOTCUA_CATALOGUE_RECHECK_SECONDS = 5
    lookup._by_code.clear()
    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    return clock


def commune(code: str = "H98.50.02") -> Agency:
    return Agency.objects.create(
        code=code, name="Ủy ban nhân dân xã Thử", level=AgencyLevel.COMMUNE
    )


def test_an_agency_is_read_once_until_the_recheck(
    slow_recheck: list[float], django_assert_num_queries: Any
) -> None:
    agency = commune()
    assert lookup.agency_by_code("H98.50.02") == agency
    with django_assert_num_queries(0):
        assert lookup.agency_by_code("H98.50.02") == agency
    # Another process renames it: no signal reaches this one.
    Agency.objects.filter(pk=agency.pk).update(name="Ủy ban nhân dân phường Thử")
    slow_recheck[0] += 4
    found = lookup.agency_by_code("H98.50.02")
    assert found is not None and found.name == "Ủy ban nhân dân xã Thử"
    slow_recheck[0] += 2
    found = lookup.agency_by_code("H98.50.02")
    assert found is not None and found.name == "Ủy ban nhân dân phường Thử"


def test_an_edit_in_this_process_is_seen_at_once(slow_recheck: list[float]) -> None:
    agency = commune()
    assert lookup.agency_by_code("H98.50.02") == agency
    agency.code = "H98.50.09"
    agency.save()

    assert lookup.agency_by_code("H98.50.02") is None
    assert lookup.agency_by_code("H98.50.09") == agency


def test_an_unknown_code_is_not_remembered(slow_recheck: list[float]) -> None:
    assert lookup.agency_by_code("H98.50.02") is None
    # Created by another process, without a signal here: found at once all the same.
    Agency.objects.bulk_create(
        [Agency(code="H98.50.02", name="Ủy ban nhân dân xã Mới", level=AgencyLevel.COMMUNE)]
    )
    found = lookup.agency_by_code("H98.50.02")
    assert found is not None and found.name == "Ủy ban nhân dân xã Mới"
