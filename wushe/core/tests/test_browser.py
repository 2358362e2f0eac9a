"""The foundation as a person uses it, in a real browser (Debian's Chromium, headless).

Screenshots go to ``test-artifacts/screenshots/`` so that a person can look at them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from conftest import FUTIAN_TOWNSHIP, PASSWORD, make_site, make_user
from wushe.accounts.models import Role
from wushe.regions import loader
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SUBMIT = "main form[method=post] button[type=submit]"  # not the header's language buttons
SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # beside one unless told the test knows what it is doing.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        # ORM calls made while Playwright's loop runs get connections of their own context;
        # close them here, in that context, or PostgreSQL keeps the test database busy.
        connections.close_all()
        browser.close()


@pytest.fixture
def world(transactional_db):
    # live_server needs a transactional database, which starts empty: load the real regions.
    loader.load(loader.read_rows("440305"))
    loader.load(loader.read_rows("440304"))
    return {
        "admin": make_user("nanshan_admin", "440305000000", Role.ADMIN),
        "manager": make_user("yuehai_manager", "440305007000", Role.MANAGER),
        "futian": make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站"),
    }


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click(SUBMIT)
    page.wait_for_url(f"{base}/")


def test_a_county_administrator_drills_down_and_creates_a_site(live_server, world, browser):
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/login/")
    assert "登录" in page.content()
    shot(page, "01-login")
    log_in(page, base, "nanshan_admin")
    shot(page, "02-home-county-admin")

    page.goto(f"{base}/regions/")
    assert "南山区" in page.content()
    page.get_by_role("link", name="粤海街道").first.click()
    page.wait_for_url("**/regions/440305007*/")
    assert "科技园社区居委会" in page.content()
    shot(page, "03-region-yuehai")
    page.get_by_role("link", name="科技园社区居委会").first.click()
    page.wait_for_url("**/regions/440305007003*/")
    shot(page, "04-region-village")

    # A station on a village: the error is shown beside the region field, nothing is saved.
    page.goto(f"{base}/regions/sites/new/")
    page.fill("#id_name", "粤海街道社工站")
    page.select_option("#id_kind", SiteKind.STATION.value)
    page.fill("#id_region", "440305007003")
    page.fill("#id_floor_area", "180")
    page.click(SUBMIT)
    error = page.locator(".errorlist").first
    assert error.is_visible()
    assert "乡镇" in error.inner_text() or "级" in error.inner_text()
    shot(page, "05-site-field-error")
    assert not Site.objects.filter(name="粤海街道社工站").exists()

    page.fill("#id_region", "440305007")
    page.click(SUBMIT)
    page.wait_for_url("**/regions/sites/*/")
    assert "粤海街道社工站" in page.content()
    shot(page, "06-site-created")
    site = Site.objects.get(name="粤海街道社工站")
    assert site.region_id == "440305007000"

    page.goto(f"{base}/regions/sites/")
    assert "粤海街道社工站" in page.content()
    assert "园岭街道社工站" not in page.content()  # 福田区 is outside 南山区
    shot(page, "07-site-list")


def test_a_station_manager_sees_only_the_street(live_server, world, browser):
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    log_in(page, base, "yuehai_manager")
    page.goto(f"{base}/regions/")
    content = page.content()
    assert "粤海街道" in content
    assert "蛇口街道" not in content
    shot(page, "08-region-manager")
    response = page.goto(f"{base}/regions/440305005/")  # 蛇口街道: another street
    assert response.status == 404
    response = page.goto(f"{base}/regions/sites/{world['futian'].pk}/")
    assert response.status == 404
    shot(page, "09-manager-404")
