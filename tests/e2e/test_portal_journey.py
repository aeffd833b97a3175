"""A new citizen's journey on the portal, in headless Chromium (the system package): find a
procedure by a query without diacritics, sign up with a one-time code, save a draft, submit
online with two files; the officers act through the services (the back office has its own
journeys); the citizen sees the appointment, supplements online, downloads the electronic
result and rates the service. axe-core finds no serious or critical violation on the
applicant's pages. Screenshots: test-artifacts/portal-journey-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.accounts.tests.conftest import Outbox
from motcua.dossiers import services
from motcua.dossiers.files import Upload
from motcua.dossiers.models import Dossier, FileKind, Status
from motcua.feedback.models import Rating

from .conftest import shot

pytestmark = [pytest.mark.e2e]

PDF = b"%PDF-1.4\n% motcua e2e\n" + b"0" * 400
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 400
RESULT = b"%PDF-1.4\n% trich luc khai sinh\n" + b"1" * 400


def officer(username: str) -> User:
    return User.objects.get(username=username)


def serious(page: Any, axe: Axe, options: dict[str, Any] | None = None) -> list[str]:
    results = axe.run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Outbox:
    box = Outbox()
    monkeypatch.setattr("motcua.accounts.services.notifier", lambda: box)
    return box


@pytest.fixture
def static_served(settings: Any) -> None:
    from django.contrib.staticfiles import finders

    if finders.find("motcua/site.css") is None:
        settings.STATICFILES_DIRS = [Path(__file__).resolve().parents[2] / "src/motcua/static"]


def test_a_new_citizen_submits_online_follows_supplements_downloads_and_rates(
    demo_live: str, browser: Any, outbox: Outbox, static_served: None, tmp_path: Path
) -> None:
    url = demo_live
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        # Find the procedure without typing any diacritic.
        page.goto(f"{url}/thu-tuc/?q=dang+ky+khai+sinh")
        page.get_by_role("link", name="Thủ tục đăng ký khai sinh").first.click()
        page.get_by_role("link", name="Nộp trực tuyến").click()

        # Not signed in: the login page, then back to the form.
        page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap/.*next=.*"))
        page.get_by_label("Thư điện tử hoặc số điện thoại di động").fill("0913 222 333")
        page.get_by_role("button", name="Gửi mã xác thực").click()
        page.wait_for_url("**/xac-thuc/")
        page.get_by_label("Mã xác thực").fill(outbox.last_code())
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        page.wait_for_url(f"{url}/tai-khoan/")
        page.goto(f"{url}/nop-truc-tuyen/1.001193/")

        # A draft keeps what was typed.
        page.get_by_label("Họ và tên (hoặc tên tổ chức)").fill("Nguyễn Văn An")
        page.get_by_role("button", name="Lưu nháp").click()
        assert "Đã lưu bản nháp" in page.get_by_role("status").first.inner_text()
        assert page.get_by_label("Họ và tên (hoặc tên tổ chức)").input_value() == "Nguyễn Văn An"

        # Submitting without the required files: told what is missing.
        page.get_by_role("button", name="Nộp hồ sơ").click()
        assert "Hồ sơ chưa được nộp" in page.get_by_role("alert").first.inner_text()
        problems["submission-errors"] = serious(page, axe)
        shot(page, "portal-journey-1-errors")

        page.get_by_label("Số định danh cá nhân (hoặc mã số thuế)").fill("001099012345")
        page.get_by_label("Số điện thoại").fill("0913222333")
        files = page.locator("input[type=file]")
        files.nth(0).set_input_files(
            files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        files.nth(1).set_input_files(
            files=[{"name": "giay-chung-sinh.png", "mimeType": "image/png", "buffer": PNG}]
        )
        page.get_by_label("Trực tuyến").check()
        shot(page, "portal-journey-2-form")
        page.get_by_role("button", name="Nộp hồ sơ").click()
        page.wait_for_url("**/nop-truc-tuyen/da-nop/*/")
        dossier = Dossier.objects.get(applicant_name="Nguyễn Văn An")
        assert f"Số tham chiếu khi nộp: {dossier.pk}" in page.get_by_role("status").inner_text()
        assert dossier.files.count() == 2
        problems["confirmation"] = serious(page, axe)
        shot(page, "portal-journey-3-submitted")

        # The desk receives it: the citizen sees the code and the appointment.
        dossier = services.dossier_receive(actor=officer("tiepnhan.hongchau"), code=str(dossier.pk))
        code = dossier.code or ""
        assert dossier.due_at is not None
        page.reload()
        assert code in page.content()
        page.get_by_role("link", name="Theo dõi hồ sơ này").click()
        due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
        assert due in page.locator("dl.facts").inner_text()
        problems["dossier"] = serious(page, axe)
        shot(page, "portal-journey-4-received")

        # A supplement is asked; the citizen sees what and sends it online.
        services.dossier_request_supplement(
            actor=officer("tuphap.hongchau"),
            code=code,
            items=["Giấy chứng sinh bản rõ nét"],
            reasons="Ảnh chụp giấy chứng sinh bị mờ",
        )
        page.reload()
        assert "Giấy chứng sinh bản rõ nét" in page.content()
        page.get_by_label("Tệp đính kèm").set_input_files(
            files=[{"name": "chung-sinh-ro.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
        assert "Đã gửi hồ sơ bổ sung" in page.get_by_role("status").first.inner_text()
        problems["supplemented"] = serious(page, axe)
        shot(page, "portal-journey-5-supplemented")
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING

        # Resolved with an electronic result: the citizen downloads it.
        services.dossier_forward(actor=officer("tuphap.hongchau"), code=code)
        services.dossier_resolve(
            actor=officer("lanhdao.hongchau"),
            code=code,
            result_number="45/TLKS",
            result_signer="Nguyễn Văn Hùng",
            result_date=timezone.localdate(),
            electronic=True,
            result_uploads=[Upload(name="trich-luc-khai-sinh.pdf", file=ContentFile(RESULT))],
        )
        assert dossier.files.filter(kind=FileKind.RESULT).count() == 1
        page.reload()
        with page.expect_download() as info:
            page.get_by_role("link", name="Tải về trich-luc-khai-sinh.pdf").click()
        saved = tmp_path / "result.pdf"
        info.value.save_as(saved)
        assert saved.read_bytes() == RESULT
        shot(page, "portal-journey-6-result")

        # Returned online: the citizen rates the service.
        services.dossier_return_result(
            actor=officer("tiepnhan.hongchau"), code=code, channel="online"
        )
        page.reload()
        page.get_by_label("Rất hài lòng").check()
        page.get_by_role("button", name="Gửi đánh giá").click()
        assert "ý kiến đánh giá đã được ghi nhận" in page.get_by_role("status").first.inner_text()
        problems["rated"] = serious(page, axe)
        shot(page, "portal-journey-7-rated")
        assert Rating.objects.get(dossier__code=code).level == "very_satisfied"

        page.goto(f"{url}/ho-so-cua-toi/")
        assert code in page.content()
        problems["my-dossiers"] = serious(page, axe)
        shot(page, "portal-journey-8-my-dossiers")
    finally:
        context.close()
    assert {name: found for name, found in problems.items() if found} == {}


def test_the_status_board_and_the_statistics_are_accessible(
    demo_live: str, browser: Any, static_served: None
) -> None:
    ready = services.dossier_receive(
        actor=officer("tiepnhan.hongchau"),
        procedure_code="1.001193",
        applicant=services.Applicant(name="Trần Văn Bảng", phone="0912000999"),
    )
    services.dossier_forward(actor=officer("tuphap.hongchau"), code=ready.code or "")
    services.dossier_resolve(
        actor=officer("lanhdao.hongchau"),
        code=ready.code or "",
        result_number="7/TLKS",
        result_signer="Nguyễn Văn Hùng",
        result_date=timezone.localdate(),
    )
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        page.goto(f"{demo_live}/bang-trang-thai/H99.50.01.01/")
        assert ready.code in page.get_by_role("list").inner_text()
        assert "Trần Văn Bảng" not in page.content()
        # A kiosk page refreshes itself by design; it links to a still version (checked
        # with every rule below), which is what WCAG 2.2.1 asks for.
        problems["board"] = serious(page, axe, {"rules": {"meta-refresh": {"enabled": False}}})
        shot(page, "portal-board")
        page.get_by_role("link", name="Dừng tự cập nhật").click()
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        problems["board-still"] = serious(page, axe)
        page.goto(f"{demo_live}/thong-ke/")
        assert "Ủy ban nhân dân phường Hồng Châu" in page.content()
        problems["statistics"] = serious(page, axe)
        shot(page, "portal-statistics")
    finally:
        context.close()
    assert {name: found for name, found in problems.items() if found} == {}
