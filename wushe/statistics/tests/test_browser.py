"""The statistics page as a county administrator uses it, in a real browser: choose the months,
read the report's sentence, drill down to a street and back up the breadcrumb, download the
Excel file. Screenshots go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

import io
import os

import openpyxl
import pytest

from conftest import YUEHAI, make_site, make_user
from wushe.accounts.models import Role
from wushe.core.tests.test_browser import CHROMIUM, browser, log_in, shot  # noqa: F401
from wushe.regions import loader
from wushe.regions.choices import SiteKind
from wushe.statistics.tests.sample import record_the_year

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def world(transactional_db):
    loader.load(loader.read_rows("440305"))
    admin = make_user("nanshan_admin", "440305000000", Role.ADMIN)
    record_the_year(admin, make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站"))
    return admin


def test_a_county_administrator_reads_drills_down_and_exports(live_server, world, browser):  # noqa: F811
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    log_in(page, base, "nanshan_admin")
    page.click("nav.mainnav >> text=服务统计")
    page.fill("#id_from", "2026-01")
    page.fill("#id_to", "2026-03")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/statistics/?*from=2026-01*")
    assert "开展个案2个、小组2节、社区活动1场次" in page.inner_text("p.summary")
    assert page.inner_text("tr[data-key=visits] td") == "3"
    shot(page, "statistics-01-county")
    page.click("table.by-region >> text=粤海街道")
    page.wait_for_url("**region=440305007*")
    assert page.inner_text("tr[data-key=visits] td") == "2"
    assert "南山区" in page.inner_text("nav.breadcrumb")
    shot(page, "statistics-02-street")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert cells["入户走访次数"] == 2
    page.click("nav.breadcrumb >> text=南山区")
    page.wait_for_url("**region=440305&*")
    assert page.inner_text("tr[data-key=visits] td") == "3"
