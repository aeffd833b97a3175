"""Search over the dossiers an officer may see, and the tracking book with its export."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from motcua.domain.lifecycle import Status
from motcua.dossiers.tests.factories import World, drive

pytestmark = pytest.mark.django_db


def _codes(html: str) -> list[str]:
    return re.findall(r'href="/office/dossiers/([^/"]+)/"', html)


@pytest.mark.parametrize(
    "query",
    [
        {"name": "nguyen van an"},
        {"name": "NGUYỄN  an"},
        {"phone": "0912.345.678"},
        {"id_number": "001203004567"},
        {"procedure": "thu tuc thu"},
        {"status": "processing"},
        {"received_from": "2026-03-09", "received_to": "2026-03-09"},
    ],
    ids=lambda q: "-".join(q),
)
def test_search_finds_the_dossier(client: Client, world: World, query: dict[str, str]) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.leader)
    html = client.get("/office/search/", query).content.decode()
    assert _codes(html) == [dossier.code]


def test_search_by_part_of_the_code(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    assert dossier.code
    client.force_login(world.leader)
    html = client.get("/office/search/", {"code": dossier.code[-6:]}).content.decode()
    assert _codes(html) == [dossier.code]


def test_search_misses_other_names_and_periods(client: Client, world: World) -> None:
    drive(world, Status.PROCESSING)
    client.force_login(world.leader)
    for query in ({"name": "tran van an"}, {"received_from": "2026-03-10"}):
        html = client.get("/office/search/", query).content.decode()
        assert _codes(html) == []
        assert "Không tìm thấy hồ sơ phù hợp." in html


def test_search_never_shows_another_provinces_dossiers(client: Client, world: World) -> None:
    drive(world, Status.PROCESSING)
    client.force_login(world.away_leader)
    assert _codes(client.get("/office/search/", {"name": "nguyen"}).content.decode()) == []


def test_the_tracking_book_lists_and_exports_the_period(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.leader)
    query = {"agency": world.home.ward.pk, "start": "2026-03-01", "end": "2026-03-31"}
    html = client.get("/office/book/", query).content.decode()
    assert dossier.code in html
    response = client.get("/office/book/", {**query, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert dossier.code in values and "Nguyễn Văn An" in values


def test_the_book_of_an_agency_one_does_not_belong_to_is_refused(
    client: Client, world: World
) -> None:
    drive(world, Status.PROCESSING)
    client.force_login(world.away_leader)
    query = {"agency": world.home.ward.pk, "start": "2026-03-01", "end": "2026-03-31"}
    html = client.get("/office/book/", query).content.decode()
    assert "Bạn không theo dõi sổ của cơ quan, đơn vị này." in html
    assert "Nguyễn Văn An" not in html
    response = client.get("/office/book/", {**query, "format": "xlsx"})
    assert not response["Content-Type"].startswith("application/vnd")


def test_a_period_ending_before_it_starts_is_explained(client: Client, world: World) -> None:
    client.force_login(world.leader)
    start = dt.date(2026, 3, 31)
    html = client.get(
        "/office/book/",
        {"agency": world.home.ward.pk, "start": start.isoformat(), "end": "2026-03-01"},
    ).content.decode()
    assert "trước ngày bắt đầu" in html


@pytest.mark.parametrize("how_many", [1, 6])
def test_search_and_book_cost_the_same_queries_whatever_the_rows(
    client: Client, world: World, django_assert_max_num_queries: object, how_many: int
) -> None:
    for i in range(how_many):
        drive(
            world,
            Status.PROCESSING,
            start=dt.datetime(2026, 3, 9, 9, tzinfo=dt.UTC) + dt.timedelta(hours=i),
        )
    client.force_login(world.leader)
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        html = client.get("/office/search/", {"name": "nguyen"}).content.decode()
    assert len(_codes(html)) == how_many
    query = {"agency": world.home.ward.pk, "start": "2026-03-01", "end": "2026-03-31"}
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        html = client.get("/office/book/", query).content.decode()
    assert len(_codes(html)) == how_many
