"""The status board of a receiving unit and the public statistics: no personal data, the
codes ready for pickup, today's counts, the on-time rate per agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.models import Dossier

PROCEDURE = "1.001193"
DESK = "H99.50.01.01"  # TTPVHCC phường Hồng Châu


def officer(username: str) -> User:
    return User.objects.get(username=username)


def walk_in(
    name: str, *, return_channel: str = "counter", now: dt.datetime | None = None
) -> Dossier:
    return services.dossier_receive(
        actor=officer("tiepnhan.hongchau"),
        procedure_code=PROCEDURE,
        applicant=services.Applicant(name=name, phone="0912000111"),
        return_channel=return_channel,
        now=now,
    )


def resolve(dossier: Dossier, *, now: dt.datetime | None = None) -> Dossier:
    code = dossier.code or ""
    services.dossier_forward(actor=officer("tuphap.hongchau"), code=code, now=now)
    return services.dossier_resolve(
        actor=officer("lanhdao.hongchau"),
        code=code,
        result_number="1/TLKS",
        result_signer="Nguyễn Văn Hùng",
        result_date=timezone.localdate(),
        now=now,
    )


def test_the_board_lists_codes_ready_for_pickup_and_todays_counts(demo: None) -> None:
    ready = resolve(walk_in("Lê Thị Riêng Tư"))
    by_post = resolve(walk_in("Gửi Bưu Điện", return_channel="postal"))
    pending = walk_in("Đang Xử Lý")
    returned = resolve(walk_in("Đã Nhận"))
    services.dossier_return_result(
        actor=officer("tiepnhan.hongchau"),
        code=returned.code or "",
        channel="counter",
        collected_by="Đã Nhận",
    )
    response = Client().get(reverse("portal:status_board", args=[DESK]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="60">' in page
    assert ready.code in page
    assert by_post.code not in page  # sent by post: nobody comes for it
    assert pending.code not in page
    assert returned.code not in page
    assert "Lê Thị Riêng Tư" not in page and "0912000111" not in page
    board = page.split('id="today"')[1]
    assert ">4<" in board  # received today
    assert ">1<" in board  # returned today


def test_an_unknown_unit_has_no_board(db: None) -> None:
    assert Client().get(reverse("portal:status_board", args=["H00.99"])).status_code == 404


@pytest.mark.parametrize("path", ["/bang-trang-thai/%00/", "/bang-trang-thai/" + "x" * 300 + "/"])
def test_odd_unit_codes_are_not_found_not_errors(db: None, path: str) -> None:
    assert Client().get(path).status_code == 404


def test_statistics_show_the_on_time_rate_per_agency(demo: None) -> None:
    now = timezone.now()
    late_receipt = now - dt.timedelta(days=40)
    # Received long ago and resolved now: late; received now and resolved now: early.
    late = walk_in("A", now=late_receipt)
    resolve(late, now=max(now, timezone.localtime(late_receipt) + dt.timedelta(days=40)))
    resolve(walk_in("B"))
    withdrawn = walk_in("C")
    services.dossier_withdraw(actor=officer("tiepnhan.hongchau"), code=withdrawn.code or "")
    response = Client().get(reverse("portal:statistics"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ủy ban nhân dân phường Hồng Châu" in page
    year = page.split('id="year"')[1]
    row = year.split("Hồng Châu")[1].split("</tr>")[0]
    # Two finished (the withdrawn one not counted), one on time: 50.0%.
    assert ">2<" in row and ">1<" in row
    assert "50,0%" in row
