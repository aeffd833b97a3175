"""The leaders' dashboard in headless Chromium over the demo province with a year of
synthetic history: the headline numbers, the charts with their figures, the ranking, a
drill-down, Biểu 06 and the 766 page; axe-core finds no serious or critical violation.
Screenshots go to test-artifacts/monitoring-*.png."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from .conftest import Office

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

pytest.importorskip("axe_playwright_python")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

PROVINCE_LEADER = "lanhdao.ubndtinh"
WARD_LEADER = "lanhdao.hongchau"
Shot = Callable[[Any, str], Path]


def _serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture
def history(office: Office) -> Office:
    from django.core.management import call_command

    from motcua.demo.history import generate_history

    # A transactional test before this one may have emptied the table the data migration
    # filled.
    call_command("load_indicators", stdout=io.StringIO())
    generate_history(dossiers=3000, years=1.0, end=timezone.localdate(), seed=7)
    return office


def test_the_leaders_dashboard(history: Office, shot: Shot) -> None:
    office, page, axe = history, history.page, Axe()
    page.set_viewport_size({"width": 1360, "height": 900})
    office.sign_in(PROVINCE_LEADER)
    page.click("nav >> text=Theo dõi, giám sát")
    page.wait_for_url("**/office/monitoring/")
    assert page.locator("h1").inner_text() == "Tổng quan theo dõi, giám sát"
    # Headline numbers, each a link to its dossiers.
    kpis = page.locator(".kpi")
    assert kpis.count() == 9
    received = page.locator(".kpi a").first
    assert int(received.locator(".kpi-value").inner_text()) > 0
    # Four charts drawn on the server, none needing a script.
    assert page.locator(".chart svg").count() == 4
    assert page.locator("script").count() == 0
    assert page.locator("#h-rank ~ figure table tbody tr").count() >= 2
    shot(page, "monitoring-dashboard")
    assert not _serious(axe.run(page)), _serious(axe.run(page))

    # A headline number opens its dossiers.
    total = int(received.locator(".kpi-value").inner_text())
    received.click()
    page.wait_for_url("**/office/monitoring/dossiers/**")
    assert page.locator("tbody tr").count() == min(total, 50)
    shot(page, "monitoring-drill-down")
    assert not _serious(axe.run(page))

    # Biểu 06 of the year by agency, on the calendar year.
    page.click(".mon-tabs >> text=Biểu 06")
    page.select_option("#m-kind", "year")
    page.fill("#m-year", str(timezone.localdate().year))
    page.select_option("#m-rows", "agency")
    page.click(".mon-period button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("table.b06 tr.total").count() == 1
    assert page.locator("table.b06 .down").count() == 0  # every identity holds
    shot(page, "monitoring-bieu06")
    assert not _serious(axe.run(page))

    # A click returns once the next page starts loading: wait for it before reading it.
    page.click(".mon-tabs >> text=Bộ chỉ số 766")
    expect(page.locator("td:has-text('Hệ thống chưa tính')").first).to_be_visible()
    shot(page, "monitoring-index766")
    page.click(".mon-tabs >> text=Quá hạn, sắp đến hạn")
    page.wait_for_load_state()
    shot(page, "monitoring-overdue")
    page.click(".mon-tabs >> text=Bước xử lý, cán bộ, dịch vụ")
    page.wait_for_load_state()
    shot(page, "monitoring-activity")
    assert not _serious(axe.run(page))


def test_a_ward_leader_sees_the_ward_and_a_receiver_is_refused(history: Office, shot: Shot) -> None:
    office, page = history, history.page
    office.sign_in(WARD_LEADER)
    office.go("/office/monitoring/")
    options = page.locator("#m-agency option")
    assert "Hồng Châu" in options.first.inner_text()
    assert "Tỉnh" not in " ".join(options.all_inner_texts())
    shot(page, "monitoring-dashboard-ward")
    office.sign_in("tiepnhan.hongchau")
    response = page.goto(office.url + "/office/monitoring/")
    assert response is not None and response.status == 403
    assert page.locator("nav >> text=Theo dõi, giám sát").count() == 0
