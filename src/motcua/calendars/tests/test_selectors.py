"""The calendar an agency works by: national base, then overrides from the nearest scope."""

import datetime as dt
from typing import Any

import pytest

from motcua import caching
from motcua.agencies.models import Agency, AgencyLevel
from motcua.calendars.exceptions import UnknownAgency
from motcua.calendars.models import CalendarOverride, DayKind, WorkingSchedule
from motcua.calendars.selectors import calendar_for, calendar_for_code
from motcua.domain.deadlines import due_at

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.date(2026, 12, 7)
SATURDAY = dt.date(2026, 12, 12)


@pytest.fixture
def province() -> Agency:
    return Agency.objects.create(code="H99", name="Tỉnh Demo", level=AgencyLevel.PROVINCE)


@pytest.fixture
def commune(province: Agency) -> Agency:
    return Agency.objects.create(
        code="H99.50.01", name="Xã Demo", level=AgencyLevel.COMMUNE, parent=province
    )


def test_national_calendar_without_overrides_follows_the_base() -> None:
    cal = calendar_for(None)
    assert cal.is_working_day(MONDAY)
    assert not cal.is_working_day(SATURDAY)
    assert not cal.is_working_day(dt.date(2026, 11, 24))  # Vietnamese Culture Day
    assert cal.is_working_day(dt.date(2026, 8, 22))  # make-up Saturday


def test_a_new_national_override_is_seen_at_once() -> None:
    assert calendar_for(None).is_working_day(MONDAY)
    CalendarOverride.objects.create(day=MONDAY, kind=DayKind.DAY_OFF, reason="Announced")
    assert not calendar_for(None).is_working_day(MONDAY)


def test_nearer_scope_wins(province: Agency, commune: Agency) -> None:
    CalendarOverride.objects.create(day=SATURDAY, kind=DayKind.WORKING_DAY, reason="national")
    CalendarOverride.objects.create(
        day=SATURDAY, kind=DayKind.DAY_OFF, agency=province, reason="province"
    )
    CalendarOverride.objects.create(
        day=MONDAY, kind=DayKind.DAY_OFF, agency=commune, reason="commune"
    )
    assert calendar_for(None).is_working_day(SATURDAY)
    assert not calendar_for(province).is_working_day(SATURDAY)
    assert not calendar_for(commune).is_working_day(SATURDAY)
    assert calendar_for(province).is_working_day(MONDAY)
    assert not calendar_for(commune).is_working_day(MONDAY)


def test_agency_schedule_changes_due_moments(commune: Agency) -> None:
    WorkingSchedule.objects.create(
        agency=commune, effective_from=dt.date(2026, 1, 1), sessions="08:00-12:00, 13:30-17:30"
    )
    received = dt.datetime(2026, 12, 7, 8, 0, tzinfo=VN)
    assert due_at(received, 1, "working_day", calendar_for(commune)) == dt.datetime(
        2026, 12, 7, 17, 30, tzinfo=VN
    )
    assert due_at(received, 1, "working_day", calendar_for(None)) == dt.datetime(
        2026, 12, 8, 7, 30, tzinfo=VN
    ) + dt.timedelta(minutes=30)


def test_calendar_for_an_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(UnknownAgency) as excinfo:
        calendar_for_code("H00.99")
    assert excinfo.value.code == "unknown_agency"


def test_a_worker_sees_an_edit_made_elsewhere_within_the_recheck_interval(
    settings: Any, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """Between rechecks the cached calendar is used without asking the database; after
    the interval, an edit made by another process (here: behind the cache's back) shows."""
    settings.MOTCUA_CALENDAR_RECHECK_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    assert calendar_for(None).is_working_day(MONDAY)
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(day=MONDAY, kind=DayKind.DAY_OFF, reason="Announced")]
    )
    clock[0] += 4
    with django_assert_num_queries(0):
        assert calendar_for(None).is_working_day(MONDAY)
    clock[0] += 2
    assert not calendar_for(None).is_working_day(MONDAY)
