"""The sign-up journey in headless Chromium (the system package), without JavaScript of ours:
ask for a code, type it, complete the profile after a mistake. axe-core finds no serious or
critical violation on any of the pages. Screenshots go to test-artifacts/accounts-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, sync_playwright

from motcua.accounts.models import ApplicantProfile

from .conftest import Outbox

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def _orm_beside_playwright() -> Iterator[None]:
    """The sync Playwright API runs an event loop in the test's thread; the test's own ORM
    calls (and the database flush after it) are still synchronous. Set for this module only:
    a process-wide variable would leak into the deploy check of the smoke test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright: None) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("the system Chromium is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _serious(page: Any, axe: Axe) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"accounts-{name}.png"), full_page=True)


def test_a_new_applicant_signs_up_with_a_phone(
    live_server: Any, browser: Browser, outbox: Outbox
) -> None:
    # Our pages carry no script; JavaScript stays on only because axe-core runs in the page.
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    axe = Axe()
    problems: dict[str, list[str]] = {}
    try:
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.get_by_label("Thư điện tử hoặc số điện thoại di động").fill("0912 345 678")
        _shot(page, "login")
        page.get_by_role("button", name="Gửi mã xác thực").click()

        page.wait_for_url("**/xac-thuc/")
        page.get_by_label("Mã xác thực").fill("000000" if outbox.last_code() != "000000" else "1")
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        assert page.get_by_role("alert").first.is_visible()
        problems["verify-error"] = _serious(page, axe)
        _shot(page, "verify-error")

        page.get_by_label("Mã xác thực").fill(outbox.last_code())
        page.get_by_role("button", name="Đăng nhập", exact=True).click()
        page.wait_for_url(f"{live_server.url}/tai-khoan/")
        page.get_by_label("Họ và tên").fill("Lê Thị Mai")
        page.get_by_label("Số định danh cá nhân").fill("003190012345")
        page.get_by_role("button", name="Lưu").click()
        alert = page.get_by_role("alert").first
        assert "mã tỉnh" in alert.inner_text()
        problems["profile-error"] = _serious(page, axe)
        _shot(page, "profile-error")

        page.get_by_label("Số định danh cá nhân").fill("001190012345")
        page.get_by_role("button", name="Lưu").click()
        assert page.get_by_role("status").first.inner_text() == "Đã lưu thông tin cá nhân."
        problems["profile"] = _serious(page, axe)
        _shot(page, "profile")
    finally:
        context.close()

    assert ApplicantProfile.objects.get(phone="0912345678").personal_id == "001190012345"
    assert {name: found for name, found in problems.items() if found} == {}
