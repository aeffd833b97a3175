"""Accessibility of the public portal pages: axe-core, run in headless Chromium (the system
package, never a downloaded browser), finds no serious or critical violation. Screenshots
of every page go to test-artifacts/ for review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright")
pytest.importorskip("axe_playwright_python")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from motcua.domain.deadlines import Unit
from motcua.domain.lifecycle import Status
from motcua.dossiers.tests.factories import APPLICANT, MONDAY, DossierFactory, make_world
from motcua.payments import services as payments
from motcua.payments.models import CollectingAccount
from motcua.procedures.models import Channel, FeeKind, ImplementingLevel, OnlineLevel
from motcua.procedures.services import (
    ChannelSpec,
    DocumentSpec,
    ProcedureSpec,
    VersionSpec,
    procedure_upsert,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def site(settings: Any) -> dict[str, str]:
    """A procedure in the catalogue and a dossier awaiting its fee; the site's stylesheet
    served (axe checks contrast on the styled page)."""
    from django.contrib.staticfiles import finders

    if finders.find("motcua/site.css") is None:
        # Until the settings list the project's static folder (see the portal report).
        settings.STATICFILES_DIRS = [Path(__file__).resolve().parents[2] / "src/motcua/static"]
    world = make_world()
    procedure_upsert(
        spec=ProcedureSpec(
            code="1.000894",
            name="Thủ tục đăng ký kết hôn",
            field_name="Hộ tịch",
            levels=frozenset({ImplementingLevel.COMMUNE}),
            version=VersionSpec(
                publishing_decision="Quyết định 1/QĐ-UBND",
                online_level=OnlineLevel.PARTIAL,
                legal_basis=(("60/2014/QH13", "Luật Hộ tịch"),),
                channels=(
                    ChannelSpec(
                        channel=Channel.COUNTER,
                        time_limit_amount=Decimal(3),
                        time_limit_unit=Unit.WORKING_DAY,
                        fee_kind=FeeKind.FREE,
                    ),
                ),
                documents=(DocumentSpec(name="Tờ khai đăng ký kết hôn"),),
            ),
        ),
        effective_from=dt.date(2025, 7, 1),
    )
    CollectingAccount.objects.create(
        agency=world.home.root,
        bank_bin="970436",
        account_number="1023456789",
        account_name="KHO BAC TINH THU",
    )
    dossier = DossierFactory(world=world, status=Status.AWAITING_PAYMENT)
    payments.payment_request_create(
        actor=world.specialist,
        code=dossier.code,
        amount=50000,
        description="Lệ phí",
        now=MONDAY + dt.timedelta(hours=2),
    )
    return {"code": dossier.code, "token": dossier.lookup_token}


def _serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_portal_pages_have_no_serious_accessibility_violations(
    live_server: Any, browser: Browser, site: dict[str, str]
) -> None:
    # `browser`: the session's Chromium of tests/e2e/conftest.py (one sync Playwright per
    # thread: a second one in this module would clash with it).
    ARTIFACTS.mkdir(exist_ok=True)
    problems = _check_pages(browser, live_server.url, site)
    assert not problems, problems


def _check_pages(browser: Browser, base: str, site: dict[str, str]) -> dict[str, list[str]]:
    axe = Axe()
    page = browser.new_page(locale="vi-VN")
    pages = {
        "home": "/",
        "catalogue": "/thu-tuc/?q=dang+ky+ket+hon",
        "procedure": "/thu-tuc/1.000894/",
        "lookup": "/tra-cuu/",
        "lookup-result": f"/tra-cuu/?code={site['code']}&token={site['token']}",
        "payment": f"/thanh-toan/{site['code']}/?token={site['token']}",
        "complaint-new": "/phan-anh-kien-nghi/gui/?thu-tuc=1.000894",
        "complaint-follow": "/phan-anh-kien-nghi/theo-doi/",
        "published-answers": "/phan-anh-kien-nghi/?q=ket+hon",
        "verify": "/kiem-tra-van-ban/",
    }
    problems: dict[str, list[str]] = {}
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response is not None and response.status == 200, name
        page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)
        found = _serious(axe.run(page))
        if found:
            problems[name] = found
    # The lookup form with its errors announced.
    page.goto(base + "/tra-cuu/")
    page.fill("#id_code", site["code"])
    page.fill("#id_factor", "12")
    page.click("button[type=submit] >> text=Tra cứu")
    expect(page.locator("[role=alert]").first).to_be_visible()
    assert page.get_attribute("#id_factor", "aria-invalid") == "true"
    page.screenshot(path=str(ARTIFACTS / "portal-lookup-error.png"), full_page=True)
    found = _serious(axe.run(page))
    if found:
        problems["lookup-error"] = found
    # A complaint sent without an account: the errors announced, then the confirmation
    # with the access key, then following it with the key.
    page.goto(base + pages["complaint-new"])
    page.click("button[type=submit] >> text=Gửi")
    expect(page.locator("[role=alert]").first).to_be_visible()
    assert page.get_attribute("#id_subject", "aria-invalid") == "true"
    found = _serious(axe.run(page))
    if found:
        problems["complaint-errors"] = found
    page.fill("#id_subject", "Lịch tiếp nhận hồ sơ kết hôn")
    page.fill("#id_content", "Đề nghị tiếp nhận cả sáng thứ Bảy.")
    page.fill("#id_submitter_name", "Ẩn Danh")
    page.fill("#id_submitter_phone", "0912777888")
    page.select_option("#id_agency_code", index=1)  # this procedure names no agency
    page.click("button[type=submit] >> text=Gửi")
    page.wait_for_url("**/phan-anh-kien-nghi/da-gui/*/")
    key = page.locator("strong.code").inner_text()
    code = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.screenshot(path=str(ARTIFACTS / "portal-complaint-sent.png"), full_page=True)
    found = _serious(axe.run(page))
    if found:
        problems["complaint-sent"] = found
    page.goto(base + pages["complaint-follow"])
    page.fill("#id_code", code)
    page.fill("#id_token", key)
    page.click("button[type=submit] >> text=Theo dõi")
    expect(page.locator("main")).to_contain_text("Lịch tiếp nhận hồ sơ kết hôn")
    page.screenshot(path=str(ARTIFACTS / "portal-complaint-followed.png"), full_page=True)
    found = _serious(axe.run(page))
    if found:
        problems["complaint-followed"] = found
    # The catalogue search finds the procedure without diacritics.
    page.goto(base + "/thu-tuc/?q=dang+ky+ket+hon")
    assert page.get_by_role("link", name="Thủ tục đăng ký kết hôn").count() == 1
    assert APPLICANT.name not in page.goto(base + pages["lookup-result"]).text()  # type: ignore[union-attr]
    page.close()
    return problems
