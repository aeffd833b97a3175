"""The dossier page: what it shows, the actions it offers, what posting them does, and
that an officer of another agency learns nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from motcua.domain.lifecycle import Status
from motcua.dossiers.models import Action, Dossier, DossierEvent
from motcua.dossiers.tests.factories import World, drive

pytestmark = pytest.mark.django_db


def _actions(html: str) -> set[str]:
    return set(re.findall(r'<details[^>]* id="act-([a-z_]+)"', html))


def _page(client: Client, dossier: Dossier) -> str:
    response = client.get(f"/office/dossiers/{dossier.code or dossier.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_applicant_the_steps_and_the_timeline(
    client: Client, world: World
) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    html = _page(client, dossier)
    assert "Nguyễn Văn An" in html
    assert "Thẩm định" in html and "Lãnh đạo ký" in html  # the process steps
    assert "Tiếp nhận hồ sơ" in html  # the reception event of the timeline
    assert "Giấy chứng sinh" in html  # a document handed in
    assert f"/forms/{dossier.code}/01.pdf" in html
    assert "In giấy tiếp nhận" in html


def test_the_specialist_is_offered_exactly_their_step_actions(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    offered = _actions(_page(client, dossier))
    assert {"forward", "request_supplement", "consult", "reject"} <= offered
    assert "receive" not in offered and "return_result" not in offered
    assert "apologise_and_extend" not in offered  # the head of the agency signs it


def test_a_monitor_sees_the_dossier_and_may_do_nothing(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.monitor)
    html = _page(client, dossier)
    assert _actions(html) == set()
    assert "Hiện bạn không có thao tác nào trên hồ sơ này." in html


def test_forwarding_moves_the_dossier_and_redirects(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    response = client.post(
        f"/office/dossiers/{dossier.code}/forward/", {"forward-note": "Đủ điều kiện"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/office/dossiers/{dossier.code}/"
    dossier.refresh_from_db()
    assert dossier.current_step is not None and dossier.current_step.name == "Lãnh đạo ký"
    event = DossierEvent.objects.filter(dossier=dossier).last()
    assert event is not None and event.action == Action.FORWARD and event.note == "Đủ điều kiện"
    assert "Đã thực hiện" in client.get(response["Location"]).content.decode()


def test_a_form_missing_a_field_keeps_the_input(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    response = client.post(
        f"/office/dossiers/{dossier.code}/request_supplement/",
        {"request_supplement-items": "Bản sao sổ hộ khẩu", "request_supplement-reasons": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bản sao sổ hộ khẩu" in html
    assert "Vui lòng sửa các trường" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_a_domain_error_is_shown_in_vietnamese_with_the_input_kept(
    client: Client, world: World
) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.leader)
    due = dossier.due_at
    assert due is not None
    too_early = (due - dt.timedelta(days=1)).astimezone().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/office/dossiers/{dossier.code}/apologise_and_extend/",
        {
            "apologise_and_extend-reason": "Chờ xác minh",
            "apologise_and_extend-new_due_at": too_early,
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Chờ xác minh" in html  # the input is kept
    assert 'role="alert"' in html
    dossier.refresh_from_db()
    assert dossier.extended_due_at is None


def test_an_action_the_officer_may_not_take_is_refused(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.monitor)
    response = client.post(f"/office/dossiers/{dossier.code}/forward/", {"forward-note": ""})
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.current_step is not None and dossier.current_step.name == "Thẩm định"


def test_an_unknown_action_is_not_found(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    assert client.post(f"/office/dossiers/{dossier.code}/explode/").status_code == 404


def test_receiving_a_submission_from_the_queue(client: Client, world: World) -> None:
    submitted = drive(world, Status.AWAITING_RECEPTION)
    client.force_login(world.receiver)
    assert "receive" in _actions(_page(client, submitted))
    response = client.post(f"/office/dossiers/{submitted.pk}/receive/", {"receive-note": ""})
    submitted.refresh_from_db()
    assert submitted.code and response["Location"] == f"/office/dossiers/{submitted.code}/"
    assert submitted.status == Status.PROCESSING


def test_returning_a_result_at_the_desk(client: Client, world: World) -> None:
    dossier = drive(world, Status.RESOLVED)
    client.force_login(world.receiver)
    response = client.post(
        f"/office/dossiers/{dossier.code}/return_result/",
        {"return_result-channel": "counter", "return_result-collected_by": "Trần Thị Bình"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.collected_by == "Trần Thị Bình"


@pytest.mark.parametrize(
    "status", [Status.AWAITING_RECEPTION, Status.PROCESSING, Status.RESOLVED, Status.RETURNED]
)
def test_an_officer_of_another_province_gets_404_everywhere(
    client: Client, world: World, status: Status
) -> None:
    dossier = drive(world, status)
    reference = dossier.code or str(dossier.pk)
    for stranger in (world.away_receiver, world.away_leader, world.away_specialist):
        client.force_login(stranger)
        assert client.get(f"/office/dossiers/{reference}/").status_code == 404
        for action in ("receive", "forward", "return_result", "resolve"):
            assert client.post(f"/office/dossiers/{reference}/{action}/", {}).status_code == 404


def test_an_officer_of_an_uninvolved_department_gets_404(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.construction_specialist)
    assert client.get(f"/office/dossiers/{dossier.code}/").status_code == 404
    response = client.post(f"/office/dossiers/{dossier.code}/forward/", {"forward-note": ""})
    assert response.status_code == 404


@pytest.mark.parametrize("steps_taken", [0, 3])
def test_the_dossier_page_has_a_fixed_query_budget(
    client: Client, world: World, django_assert_max_num_queries: object, steps_taken: int
) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.specialist)
    for i in range(steps_taken):
        client.post(
            f"/office/dossiers/{dossier.code}/consult/",
            {
                "consult-agency_codes": world.justice.code,
                "consult-question": f"Câu hỏi {i}",
                "consult-reply_within_days": "2",
            },
        )
    _page(client, dossier)  # warm the per-process calendar cache
    # 16: the notices the applicant was sent, and the messages not yet sent, one query each
    # for every event.
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        _page(client, dossier)


@pytest.mark.parametrize(
    "url",
    [
        "/office/dossiers/99999999999999999999999/",
        "/office/dossiers/%E2%80%AE%00/",
        "/office/search/?after=99999999999999999999999&name=a",
        "/office/search/?received_from=31/02/2026",
        "/office/?tab=step&after=2026-01-01T00:00:00%2B00:00_99999999999999999999999",
        "/office/?tab=nonsense&after=2026-13-01T00:00:00_1",
        "/office/book/?agency=99999999999999999999&start=x&end=y",
        "/office/reception/%20/",
    ],
)
def test_bad_addresses_never_fail_with_a_server_error(
    client: Client, world: World, url: str
) -> None:
    client.force_login(world.leader)
    assert client.get(url).status_code in (200, 404)


def test_a_huge_number_in_a_form_is_a_form_error(client: Client, world: World) -> None:
    dossier = drive(world, Status.PROCESSING)
    client.force_login(world.division_head)
    response = client.post(
        f"/office/dossiers/{dossier.code}/assign/",
        {"assign-assignee": "99999999999999999999999", "assign-note": ""},
    )
    assert response.status_code in (400, 422)
