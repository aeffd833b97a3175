"""The officers' main journeys through the back office, in headless Chromium over the demo
province: counter reception and the receipt; forwarding to the leader's approval; the
supplement that moves the due moment; the apology for an overdue dossier; resolving and
returning the result. Screenshots of the key pages go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from motcua.calendars.selectors import calendar_for
from motcua.domain import totp
from motcua.domain.deadlines import VN_TZ
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile, FileKind

from .conftest import DEMO_PASSWORD, Office

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

pytest.importorskip("playwright")

from playwright.sync_api import expect  # noqa: E402

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh, handled by Phường Hồng Châu
RECEIVER = "tiepnhan.hongchau"
SPECIALIST = "tuphap.hongchau"
LEADER = "lanhdao.hongchau"
Shot = Callable[[Any, str], Path]
PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n"


def _receive_at_counter(office: Office, shot: Shot | None = None) -> str:
    """The receiver takes a birth registration at the counter; returns the dossier code."""
    page = office.page
    office.sign_in(RECEIVER)
    page.click("text=Tiếp nhận trực tiếp")
    page.fill("#id_q", "dang ky khai sinh")  # typed without diacritics
    page.click("button:has-text('Tìm')")
    page.click(f"a:has-text('{BIRTH}')")
    page.fill("#id_applicant_name", "Phạm Thị Mai")
    page.fill("#id_applicant_id_number", "036190001234")
    page.fill("#id_applicant_phone", "0987 654 321")
    page.fill("#id_applicant_address", "18 Trần Phú, phường Hồng Châu")
    for box in page.locator("input[name=documents]").all()[:2]:
        box.check()
    if shot:
        shot(page, "backoffice-1-counter-reception")
    page.click("button[value=receive]")
    page.wait_for_url(re.compile(r"/office/dossiers/H99[^/]+/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def _act(office: Office, action: str, fields: dict[str, str] | None = None) -> None:
    page = office.page
    page.click(f"#act-{action} summary")
    for name, value in (fields or {}).items():
        page.fill(f"#act-{action} [name='{action}-{name}']", value)
    page.click(f"#act-{action} button[type=submit]")
    page.wait_for_load_state()


def _status(office: Office) -> str:
    return str(office.page.inner_text(".dossier-head .status"))


def _local_working_morning(days_ago: int) -> dt.datetime:
    """09:00 of a working day at least `days_ago` days back."""
    calendar = calendar_for(None)
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=VN_TZ)


def _received_in_the_past(days_ago: int) -> Dossier:
    return services.dossier_receive(
        actor=User.objects.get(username=RECEIVER),
        procedure_code=BIRTH,
        applicant=services.Applicant(name="Đoàn Văn Hậu", id_number="001090004321"),
        now=_local_working_morning(days_ago),
    )


def test_receive_a_counter_dossier_and_open_the_receipt(office: Office, shot: Shot) -> None:
    code = _receive_at_counter(office, shot)
    page = office.page
    assert Dossier.objects.get(code=code).applicant_name == "Phạm Thị Mai"
    assert "Phạm Thị Mai" in page.inner_text(".applicant-name")
    receipt = page.locator("a:has-text('In giấy tiếp nhận')")
    assert receipt.is_visible()
    assert receipt.get_attribute("href") == f"/forms/{code}/01.pdf"
    shot(page, "backoffice-1-dossier-received")
    response = page.request.get(office.url + f"/forms/{code}/01.pdf")
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"


def test_forward_through_every_step_to_the_leaders_approval_then_return(
    office: Office, shot: Shot
) -> None:
    code = _receive_at_counter(office)
    page = office.page

    office.sign_in(SPECIALIST)
    page.click("[data-tab=step]")
    assert code in page.inner_text("table.list")
    shot(page, "backoffice-2-specialist-inbox")
    page.click(f"a:has-text('{code}')")
    _act(office, "forward", {"note": "Hồ sơ hợp lệ, đã ghi sổ hộ tịch"})
    assert "Đã thực hiện" in page.inner_text(".messages")
    assert "Chủ tịch Ủy ban nhân dân phường ký" in page.inner_text(".current-step")

    office.sign_in(LEADER)
    page.click("[data-tab=step]")
    page.click(f"a:has-text('{code}')")
    shot(page, "backoffice-2-leader-dossier")
    page.click("#act-resolve summary")
    page.fill("#act-resolve [name='resolve-result_number']", "125/2026/KS")
    page.fill("#act-resolve [name='resolve-result_signer']", "Nguyễn Văn Hùng")
    page.fill("#act-resolve [name='resolve-result_date']", timezone.localdate().isoformat())
    page.check("#act-resolve [name='resolve-electronic']")
    page.set_input_files(
        "#act-resolve [name='resolve-result_files']",
        files=[{"name": "trích lục khai sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    shot(page, "backoffice-2-leader-resolves-with-result-file")
    page.click("#act-resolve button[type=submit]")
    page.wait_for_load_state()
    assert _status(office) == "Đã xử lý xong, chờ trả kết quả"
    assert "trích lục khai sinh.pdf" in page.inner_text("ul.files")
    (result,) = DossierFile.objects.filter(dossier__code=code)
    assert (result.kind, result.content_type) == (FileKind.RESULT, "application/pdf")

    office.sign_in(RECEIVER)
    page.click("[data-tab=return]")
    assert code in page.inner_text("table.list")
    shot(page, "backoffice-5-return-desk")
    page.click(f"a:has-text('{code}')")
    page.click("#act-return_result summary")
    page.select_option("#act-return_result [name='return_result-channel']", "counter")
    page.fill("#act-return_result [name='return_result-collected_by']", "Phạm Thị Mai")
    page.click("#act-return_result button[type=submit]")
    page.wait_for_load_state()
    assert _status(office) == "Đã trả kết quả"
    shot(page, "backoffice-5-returned")
    dossier = Dossier.objects.get(code=code)
    assert dossier.collected_by == "Phạm Thị Mai"
    actions = list(dossier.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["receive", "forward", "resolve", "return_result"]


def _app_code(key: str, steps_ahead: int = 0) -> str:
    """What the leader's authenticator app shows (`steps_ahead` 30-second steps later)."""
    step = totp.time_step(timezone.now().timestamp()) + steps_ahead
    return totp.hotp(totp.secret_from_text(key), step)


def test_a_leader_turns_the_second_factor_on_and_signs_in_with_a_code(
    office: Office, shot: Shot
) -> None:
    page = office.page
    office.sign_in(LEADER)
    page.click("a.user")
    page.click("button:has-text('Thiết lập xác thực hai lớp')")
    expect(page.locator(".qr svg")).to_be_visible()
    key = page.inner_text("code.totp-key")
    shot(page, "backoffice-6-second-factor-setup")
    page.fill("#id_code", _app_code(key))
    page.click("button:has-text('Bật xác thực hai lớp')")
    # The click returns once the next page starts loading: wait for the codes before reading.
    expect(page.locator("ul.recovery-codes code")).to_have_count(10)
    shot(page, "backoffice-6-recovery-codes")

    page.context.clear_cookies()
    office.go("/office/login/")
    page.fill("#id_username", LEADER)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{office.url}/office/login/code/")
    shot(page, "backoffice-6-code-step")
    page.fill("#id_code", "000000")
    page.click("button[type=submit].primary")
    assert "Mã không đúng" in page.inner_text("[role=alert]")
    page.fill("#id_code", _app_code(key, steps_ahead=1))  # the next code, never used
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{office.url}/office/")
    assert "Hồ sơ tại bước của tôi" in page.inner_text("main")


def test_request_a_supplement_record_it_and_see_the_due_moment_move(
    office: Office, shot: Shot
) -> None:
    dossier = _received_in_the_past(days_ago=7)
    services.dossier_request_supplement(
        actor=User.objects.get(username=SPECIALIST),
        code=dossier.code or "",
        items=["Giấy chứng sinh bản chính"],
        reasons="Bản sao không rõ nét",
        now=_local_working_morning(7) + dt.timedelta(hours=1),
    )
    page = office.page
    office.sign_in(RECEIVER)
    office.go(f"/office/dossiers/{dossier.code}/")
    assert _status(office) == "Chờ bổ sung"
    due_before = page.get_attribute("dd.due", "data-due")
    shot(page, "backoffice-3-awaiting-supplement")
    _act(office, "supplement", {"note": "Đã nộp bản chính giấy chứng sinh"})
    assert _status(office) != "Chờ bổ sung"
    due_after = page.get_attribute("dd.due", "data-due")
    assert due_before and due_after
    assert dt.datetime.fromisoformat(due_after) > dt.datetime.fromisoformat(due_before)
    shot(page, "backoffice-3-supplemented")


def test_apologise_and_extend_an_overdue_dossier(office: Office, shot: Shot) -> None:
    dossier = _received_in_the_past(days_ago=10)
    page = office.page
    office.sign_in(SPECIALIST)
    page.click("[data-tab=step]")
    row = page.locator("tr", has=page.locator(f"a:has-text('{dossier.code}')"))
    assert row.get_attribute("class") == "overdue"
    shot(page, "backoffice-4-overdue-in-inbox")

    office.sign_in(LEADER)
    office.go(f"/office/dossiers/{dossier.code}/")
    new_due = timezone.localtime() + dt.timedelta(days=5)
    _act(
        office,
        "apologise_and_extend",
        {
            "reason": "Cần xác minh thông tin với Công an phường",
            "new_due_at": new_due.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    facts = page.inner_text("dl.facts")
    assert "Thời hạn mới sau khi xin lỗi, gia hạn" in facts
    assert new_due.strftime("%H:%M %d/%m/%Y") in facts
    shot(page, "backoffice-4-extended")
    dossier.refresh_from_db()
    assert dossier.extended_due_at is not None


def test_the_desk_pages_have_no_serious_accessibility_violations(
    office: Office, shot: Shot
) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    page = office.page
    office.go("/office/login/")
    problems: dict[str, list[str]] = {"login": _serious(axe.run(page))}
    code = _receive_at_counter(office)
    for name, path in {
        "inbox": "/office/?tab=step",
        "return-desk": "/office/?tab=return",
        "dossier": f"/office/dossiers/{code}/",
        "reception": "/office/reception/?q=khai+sinh",
        "reception-form": f"/office/reception/{BIRTH}/",
        "search": "/office/search/?name=pham+thi+mai",
        "book": "/office/book/",
        "reminders": "/office/reminders/",
        "shipments": "/office/shipments/",
    }.items():
        office.go(path)
        problems[name] = _serious(axe.run(page))
    shot(page, "backoffice-book")
    assert not any(problems.values()), problems


def _serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
