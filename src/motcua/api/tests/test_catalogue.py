"""The agency tree, the procedure catalogue and the working calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from motcua.calendars.selectors import calendar_for_code
from motcua.domain import deadlines
from motcua.domain.deadlines import VN_TZ
from motcua.procedures.models import Procedure

from .conftest import BIRTH, WARD, Api, api_as

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def reader() -> Api:
    return api_as("giamsat.snv", "read")


# --- agencies ------------------------------------------------------------------------------


def test_agencies_filtered_by_parent_and_level(reader: Api) -> None:
    children = reader.get("/agencies", {"parent": WARD}).json()
    assert [a["code"] for a in children["items"]] == [
        "H99.50.01.01",
        "H99.50.01.02",
        "H99.50.01.03",
    ]
    assert {a["parent_code"] for a in children["items"]} == {WARD}
    communes = reader.get("/agencies", {"level": "commune", "valid_on": "2026-01-01"}).json()
    codes = {a["code"] for a in communes["items"]}
    assert {"H99.50.01", "H99.50.02", "H99.50.03"} <= codes
    # Wards that ceased on 30/6/2025 are not valid in 2026.
    assert "000.01.01.H99" not in codes
    old = reader.get("/agencies", {"level": "commune", "valid_on": "2025-06-30"}).json()
    assert "000.01.01.H99" in {a["code"] for a in old["items"]}


def test_agencies_page_by_offset(reader: Api) -> None:
    first = reader.get("/agencies", {"limit": 5}).json()
    second = reader.get("/agencies", {"limit": 5, "offset": first["next_offset"]}).json()
    assert first["next_offset"] == 5
    assert not {a["code"] for a in first["items"]} & {a["code"] for a in second["items"]}
    everything = reader.get("/agencies", {"limit": 500}).json()
    assert everything["next_offset"] is None


def test_one_agency_with_its_children(reader: Api) -> None:
    ward = reader.get(f"/agencies/{WARD}").json()
    assert ward["name"] == "Ủy ban nhân dân phường Hồng Châu"
    assert ward["level"]["value"] == "commune"
    assert ward["parent_code"] == "H99"
    assert [c["code"] for c in ward["children"]][:1] == ["H99.50.01.01"]
    missing = reader.get("/agencies/H99.98")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_agency_list_query_count_is_fixed(reader: Api, django_assert_max_num_queries: Any) -> None:
    reader.get("/agencies")
    with django_assert_max_num_queries(2):
        assert len(reader.get("/agencies", {"limit": 500}).json()["items"]) > 20


# --- procedures ----------------------------------------------------------------------------


def test_search_without_diacritics(reader: Api) -> None:
    found = reader.get("/procedures", {"q": "dang ky khai sinh"}).json()["items"]
    assert BIRTH in [p["code"] for p in found]
    assert all("khai sinh" in p["name"].lower() for p in found)
    by_code = reader.get("/procedures", {"q": "1.0011"}).json()["items"]
    assert [p["code"] for p in by_code] == [BIRTH]


def test_procedures_filtered_by_field_and_level(reader: Api) -> None:
    birth = Procedure.objects.get(code=BIRTH)
    assert birth.field is not None
    in_field = reader.get("/procedures", {"field": birth.field.pk}).json()["items"]
    assert in_field and {p["field"]["name"] for p in in_field} == {birth.field.name}
    communes = reader.get("/procedures", {"level": "commune", "limit": 200}).json()["items"]
    assert all("commune" in p["levels"] for p in communes)
    assert BIRTH in {p["code"] for p in communes}
    assert reader.get("/procedures", {"level": "galaxy"}).status_code == 422


def test_procedures_page_by_offset(reader: Api) -> None:
    total = Procedure.objects.filter(is_active=True).count()
    first = reader.get("/procedures", {"limit": total - 1}).json()
    assert first["next_offset"] == total - 1
    rest = reader.get("/procedures", {"limit": total - 1, "offset": total - 1}).json()
    assert len(rest["items"]) == 1 and rest["next_offset"] is None


def test_procedure_list_query_count_is_fixed(
    reader: Api, django_assert_max_num_queries: Any
) -> None:
    reader.get("/procedures")
    with django_assert_max_num_queries(2):
        assert len(reader.get("/procedures", {"limit": 200}).json()["items"]) >= 26


def test_a_procedure_with_its_version_in_force(reader: Api) -> None:
    body = reader.get(f"/procedures/{BIRTH}").json()
    assert body["name"] == "Thủ tục đăng ký khai sinh"
    version = body["current_version"]
    assert version["competent_agency"]["code"] == WARD
    counter = next(c for c in version["channels"] if c["channel"]["value"] == "counter")
    assert Decimal(counter["time_limit_amount"]) == 1
    assert counter["time_limit_unit"] == "working_day"
    assert counter["fee_kind"]["value"] == "free"
    assert version["documents"][0]["name"] == "Tờ khai đăng ký khai sinh"
    assert [s["role"] for s in version["steps"]] == ["receiver", "specialist", "leader", "receiver"]
    assert version["steps"][1]["agency"]["code"] == "H99.50.01.02"
    assert reader.get("/procedures/9.999999").status_code == 404


# --- calendar ------------------------------------------------------------------------------


def test_the_due_moment_follows_the_working_calendar(reader: Api) -> None:
    params = {"received_at": "2026-02-13T16:00:00+07:00", "amount": "1", "unit": "working_day"}
    response = reader.get("/calendar/due", params)
    assert response.status_code == 200, response.content
    expected = deadlines.due_at(
        dt.datetime(2026, 2, 13, 16, tzinfo=VN_TZ), 1, "working_day", calendar_for_code(None)
    )
    assert response.json() == {"due_at": expected.isoformat()}
    assert response.json()["due_at"].endswith("+07:00")


def test_a_moment_without_offset_is_vietnam_time(reader: Api) -> None:
    naive = reader.get(
        "/calendar/due", {"received_at": "2026-02-13T16:00", "amount": 2, "unit": "working_hour"}
    ).json()
    aware = reader.get(
        "/calendar/due",
        {"received_at": "2026-02-13T09:00:00Z", "amount": 2, "unit": "working_hour"},
    ).json()
    assert naive == aware


def test_an_agency_calendar_is_used(reader: Api) -> None:
    # Xã Tân Lập closed on Monday 7/12/2026; the national calendar did not.
    params = {"received_at": "2026-12-04T16:00", "amount": 1, "unit": "working_day"}
    national = reader.get("/calendar/due", params).json()["due_at"]
    commune = reader.get("/calendar/due", {**params, "agency": "H99.50.02"}).json()["due_at"]
    assert national.startswith("2026-12-07")
    assert commune.startswith("2026-12-08")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"amount": 1, "unit": "working_day"}, "invalid_input"),
        ({"received_at": "yesterday", "amount": 1, "unit": "working_day"}, "invalid_input"),
        ({"received_at": "2026-02-13T16:00", "amount": -1, "unit": "working_day"}, "invalid_input"),
        (
            {"received_at": "2026-02-13T16:00", "amount": "NaN", "unit": "working_day"},
            "invalid_input",
        ),
        (
            {"received_at": "2026-02-13T16:00", "amount": 1e9, "unit": "working_day"},
            "invalid_input",
        ),
        ({"received_at": "2026-02-13T16:00", "amount": 1, "unit": "fortnight"}, "invalid_input"),
        ({"received_at": "9999-12-31T16:00", "amount": 1, "unit": "working_day"}, "invalid_input"),
        (
            {"received_at": "2026-02-13T16:00", "amount": "1.5", "unit": "calendar_day"},
            "invalid_time_limit",
        ),
        (
            {"received_at": "2026-02-13T16:00", "amount": 1, "unit": "working_day", "agency": "X1"},
            "unknown_agency",
        ),
    ],
)
def test_bad_calendar_input_is_422(reader: Api, params: dict[str, Any], code: str) -> None:
    response = reader.get("/calendar/due", params)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
