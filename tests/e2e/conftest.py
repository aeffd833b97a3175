"""Browser journeys: a live server over a database holding the demo province, driven by
Playwright in the system Chromium (Debian's `chromium`; never a downloaded browser).

Fixtures: `browser` (one headless Chromium per session), `office` (the demo loaded, a live
server, a fresh page), `shot(page, name)` (a full-page PNG under test-artifacts/)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_PASSWORD = "motcua-demo"

# The sync Playwright API runs an event loop in the test's thread; the test's own ORM
# calls (setting the scene through the services) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed")
    return sync_playwright


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"the system Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    with _playwright()() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot `test-artifacts/<name>.png`, for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class Office:
    """The back office of the demo province on a live server, and a browser page."""

    url: str
    page: Any

    def go(self, path: str) -> None:
        self.page.goto(self.url + path)

    def sign_in(self, username: str) -> None:
        context = self.page.context
        context.clear_cookies()
        self.go("/office/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("button[type=submit].primary")
        self.page.wait_for_url(f"{self.url}/office/")


@pytest.fixture
def demo_live(transactional_db: None, live_server: Any) -> str:
    call_command("demo", stdout=io.StringIO())
    return str(live_server.url)


@pytest.fixture
def office(demo_live: str, browser: Any) -> Iterator[Office]:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Office(demo_live, page)
    context.close()


@pytest.fixture(name="shot")
def shot_fixture() -> Callable[[Any, str], Path]:
    return shot
