"""A new citizen's journey on the portal, in headless Chromium (the system package): find a
procedure by a query without diacritics, sign up with a one-time code, save a draft, submit
online with two files; the desk receives it and the specialist asks for a supplement in the
back office; the citizen sees the appointment and supplements online; the specialist
forwards it and the ward's leader resolves it with an electronic result file in the back
office; the desk returns it there too; the citizen downloads the electronic
result and rates the service (the 3-level scale and the per-dossier criteria), files a
complaint about the dossier that the ward's leader answers and publishes in the back
office, sees the answer and finds it in the public list. axe-core finds no serious or
critical violation on the applicant's pages. Screenshots: test-artifacts/portal-journey-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from motcua.accounts.tests.conftest import Outbox
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, FileKind, Status
from motcua.feedback.models import Complaint, Rating

from .conftest import DEMO_PASSWORD, shot

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


def desk_act(
    browser: Any,
    url: str,
    username: str,
    path: str,
    action: str,
    fields: dict[str, str] | None = None,
    selects: dict[str, str] | None = None,
    checks: tuple[str, ...] = (),
    files: dict[str, list[Any]] | None = None,
) -> None:
    """An officer signs in to the back office (a browser context of their own), opens the
    dossier page at `path` and posts one action's form."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{url}/office/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{url}/office/")
        page.goto(url + path)
        page.click(f"#act-{action} summary")
        for name, value in (fields or {}).items():
            page.fill(f"#act-{action} [name='{action}-{name}']", value)
        for name, value in (selects or {}).items():
            page.select_option(f"#act-{action} [name='{action}-{name}']", value)
        for name in checks:
            page.check(f"#act-{action} [name='{action}-{name}']")
        for name, uploads in (files or {}).items():
            page.set_input_files(f"#act-{action} [name='{action}-{name}']", files=uploads)
        page.click(f"#act-{action} button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#action-error").count() == 0, page.locator(
            "#action-error"
        ).inner_text()
    finally:
        context.close()


@pytest.fixture
def evaluation_tool(demo_live: str) -> None:
    """The evaluation tool the feedback migrations seed: a transactional test run before
    this one in the same process flushes migration data, so seed it again when missing."""
    import importlib

    from django.apps import apps

    from motcua.feedback.models import CriterionSet

    if not CriterionSet.objects.exists():
        for name in (
            "0002_evaluation_tool_tt01_2018",
            "0003_per_dossier_criteria_and_published_search",
        ):
            module = importlib.import_module(f"motcua.feedback.migrations.{name}")
            (module.seed if hasattr(module, "seed") else module.mark)(apps, None)


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
    demo_live: str,
    browser: Any,
    outbox: Outbox,
    static_served: None,
    tmp_path: Path,
    evaluation_tool: None,
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

        # The desk receives it in the back office: the citizen sees the code and the
        # appointment.
        desk_act(browser, url, "tiepnhan.hongchau", f"/office/dossiers/{dossier.pk}/", "receive")
        dossier.refresh_from_db()
        assert dossier.status == Status.PROCESSING
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
        desk_act(
            browser,
            url,
            "tuphap.hongchau",
            f"/office/dossiers/{code}/",
            "request_supplement",
            {"items": "Giấy chứng sinh bản rõ nét", "reasons": "Ảnh chụp giấy chứng sinh bị mờ"},
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
        desk_act(browser, url, "tuphap.hongchau", f"/office/dossiers/{code}/", "forward")
        desk_act(
            browser,
            url,
            "lanhdao.hongchau",
            f"/office/dossiers/{code}/",
            "resolve",
            {
                "result_number": "45/TLKS",
                "result_signer": "Nguyễn Văn Hùng",
                "result_date": timezone.localdate().isoformat(),
            },
            checks=("electronic",),
            files={
                "result_files": [
                    {
                        "name": "trich-luc-khai-sinh.pdf",
                        "mimeType": "application/pdf",
                        "buffer": RESULT,
                    }
                ]
            },
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
        desk_act(
            browser,
            url,
            "tiepnhan.hongchau",
            f"/office/dossiers/{code}/",
            "return_result",
            selects={"channel": "online"},
        )
        dossier.refresh_from_db()
        assert dossier.status == Status.RETURNED
        page.reload()
        page.get_by_label("Rất hài lòng").first.check()
        criteria = page.locator("details.criteria")
        criteria.locator("summary").click()
        criteria.locator("input[name=criterion_c1][value=a]").check()
        criteria.locator("input[name=criterion_c3][value=b]").check()
        page.get_by_role("button", name="Gửi đánh giá").click()
        assert "ý kiến đánh giá đã được ghi nhận" in page.get_by_role("status").first.inner_text()
        problems["rated"] = serious(page, axe)
        shot(page, "portal-journey-7-rated")
        rating = Rating.objects.get(dossier__code=code)
        assert rating.level == "very_satisfied"
        assert rating.answers == {"c1": "a", "c3": "b"}

        page.goto(f"{url}/ho-so-cua-toi/")
        assert code in page.content()
        problems["my-dossiers"] = serious(page, axe)
        shot(page, "portal-journey-8-my-dossiers")
        # The result and the documents handed in wait in the data store for a next dossier.
        page.goto(f"{url}/kho-du-lieu/")
        expect(page.locator("main")).to_contain_text("trich-luc-khai-sinh.pdf")
        expect(page.locator("main")).to_contain_text("giay-chung-sinh.png")
        problems["my-store"] = serious(page, axe)
        shot(page, "portal-journey-8b-data-store")

        # A complaint about the dossier, from its page: a bad file first (told, nothing
        # typed lost), then a good one.
        page.goto(f"{url}/ho-so-cua-toi/{code}/")
        page.get_by_role("link", name="Gửi phản ánh, kiến nghị về hồ sơ này").click()
        page.wait_for_url("**/phan-anh-kien-nghi/gui/?ho-so=*")
        assert page.get_by_label("Mã số hồ sơ").input_value() == code
        page.get_by_label("Tiêu đề").fill("Cán bộ hướng dẫn chưa rõ")
        page.locator("#id_content").fill("Tôi phải bổ sung hồ sơ vì hướng dẫn ban đầu thiếu.")
        page.get_by_label("Tệp đính kèm").set_input_files(
            files=[{"name": "bang-chung.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + PDF}]
        )
        page.get_by_role("button", name="Gửi", exact=True).click()
        alert = page.get_by_role("alert").first.inner_text()
        assert "Chưa gửi được" in alert and "chọn lại các tệp" in alert
        assert page.get_by_label("Tiêu đề").input_value() == "Cán bộ hướng dẫn chưa rõ"
        problems["complaint-errors"] = serious(page, axe)
        shot(page, "portal-journey-9-complaint-errors")
        page.get_by_label("Tệp đính kèm").set_input_files(
            files=[{"name": "bang-chung.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Gửi", exact=True).click()
        page.wait_for_url("**/phan-anh-kien-nghi/da-gui/*/")
        complaint = Complaint.objects.get(dossier__code=code)
        assert complaint.tracking_code in page.get_by_role("status").inner_text()
        assert complaint.attachments.count() == 1
        problems["complaint-sent"] = serious(page, axe)
        shot(page, "portal-journey-10-complaint-sent")

        # The ward's leader answers and publishes it in the back office.
        officer_context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        desk = officer_context.new_page()
        desk.set_default_timeout(15_000)
        try:
            desk.goto(f"{url}/office/login/")
            desk.fill("#id_username", "lanhdao.hongchau")
            desk.fill("#id_password", DEMO_PASSWORD)
            desk.click("button[type=submit].primary")
            desk.wait_for_url(f"{url}/office/")
            desk.get_by_role("link", name="Phản ánh, kiến nghị").first.click()
            row = desk.locator("tr", has_text=complaint.tracking_code)
            assert row.get_attribute("class") in ("today", "soon")  # refuse within 2 days
            shot(desk, "portal-journey-11-office-complaints")
            row.get_by_role("link", name=complaint.tracking_code).click()
            desk.locator("#act-answer summary").click()
            desk.locator("#id_answer-answer").fill(
                "Cơ quan đã nhắc nhở cán bộ và bổ sung hướng dẫn tại quầy."
            )
            desk.locator("#act-answer button[type=submit]").click()
            assert "Đã thực hiện: Trả lời" in desk.get_by_role("status").first.inner_text()
            desk.locator("#act-publish summary").click()
            desk.locator("#act-publish button[type=submit]").click()
            shot(desk, "portal-journey-12-office-published")
        finally:
            officer_context.close()
        complaint.refresh_from_db()
        assert complaint.state == "published"

        # The citizen sees the answer; the public list shows it, found without diacritics.
        page.goto(f"{url}/phan-anh-kien-nghi/cua-toi/")
        problems["my-complaints"] = serious(page, axe)
        page.get_by_role("link", name=re.compile(complaint.tracking_code)).click()
        assert "Cơ quan đã nhắc nhở cán bộ" in page.locator("#answer-title + p").inner_text()
        problems["my-complaint"] = serious(page, axe)
        shot(page, "portal-journey-13-complaint-answered")
        page.goto(f"{url}/phan-anh-kien-nghi/?q=huong+dan+chua+ro")
        page.get_by_role("link", name="Cán bộ hướng dẫn chưa rõ").click()
        expect(page.locator("main")).to_contain_text("Cơ quan đã nhắc nhở cán bộ")
        assert "0913222333" not in page.content()  # no personal data in public
        problems["published-answer"] = serious(page, axe)
        shot(page, "portal-journey-14-published-answer")
        page.goto(f"{url}/phan-anh-kien-nghi/")
        problems["published-list"] = serious(page, axe)
        page.goto(f"{url}/phan-anh-kien-nghi/theo-doi/")
        problems["complaint-follow"] = serious(page, axe)
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
        page.wait_for_load_state()
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        problems["board-still"] = serious(page, axe)
        page.goto(f"{demo_live}/thong-ke/")
        assert "Ủy ban nhân dân phường Hồng Châu" in page.content()
        problems["statistics"] = serious(page, axe)
        shot(page, "portal-statistics")
    finally:
        context.close()
    assert {name: found for name, found in problems.items() if found} == {}
