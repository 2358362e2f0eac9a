"""The dashboards in a real browser (Debian's Chromium, headless): a province administrator
and a county administrator open their dashboard, the charts draw (no script error), a click on
a child — in a table and on a chart — drills down one level, and the breadcrumb leads back up.
Screenshots go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

import json
import os

import pytest

from conftest import make_user
from wushe.accounts.models import Role
from wushe.core.tests.test_browser import CHROMIUM, browser, log_in, shot  # noqa: F401
from wushe.dashboards.services import region_map_register
from wushe.dashboards.tests import sample
from wushe.dashboards.tests.test_maps import APPROVAL, streets_geojson
from wushe.indicators import seed
from wushe.regions import loader
from wushe.regions.models import Region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]
ASKED = "?indicator=station_coverage&month=2026-10&span=ytd"
CHARTS = ("#chart-ranking", "#chart-trend", "#chart-coverage")


@pytest.fixture
def world(transactional_db):
    # A transactional database starts empty: the regions and the built-in indicators again.
    loader.load(loader.read_rows("440305"))
    loader.load(loader.read_rows("440304"))
    seed.seed()
    built = sample.build()
    nanshan_admin = make_user("nanshan_admin", sample.NANSHAN, Role.ADMIN)
    region_map_register(
        actor=nanshan_admin,
        region=Region.objects.get(code=sample.NANSHAN),
        geojson=streets_geojson(),
        approval_number=APPROVAL,
    )
    return built


def watch(page) -> list[str]:
    """Script errors and console errors of the page, as they happen (the browser's own
    request for /favicon.ico, which the site does not serve, is not the page's)."""
    errors: list[str] = []

    def console(message) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            errors.append(f"console: {message.text} {message.location}")

    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", console)
    return errors


def charts_drawn(page, charts=CHARTS) -> None:
    for chart in charts:
        page.wait_for_selector(f"{chart} canvas", state="attached", timeout=10_000)
        box = page.locator(f"{chart} canvas").first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150, chart
    page.wait_for_timeout(1200)  # let the charts' entry animation finish before a screenshot


def click_bar(page, name: str) -> None:
    """Click the ranking chart's bar of ``name``, where ECharts drew it."""
    point = page.evaluate(
        """(name) => {
            const chart = echarts.getInstanceByDom(document.getElementById("chart-ranking"));
            const option = chart.getOption();
            const index = option.yAxis[0].data.indexOf(name);
            const value = option.series[0].data[index].value;
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value / 2, index]);
            const box = document.getElementById("chart-ranking").getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        name,
    )
    page.mouse.click(point["x"], point["y"])


def breadcrumb(page) -> list[str]:
    return [text.strip() for text in page.inner_text("nav.breadcrumb").split("›")]


def test_a_province_administrator_drills_down_and_back(live_server, world, browser):  # noqa: F811
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    errors = watch(page)
    log_in(page, base, "guangdong_admin")
    page.goto(f"{base}/dashboards/{ASKED}")
    charts_drawn(page)
    assert "广东省数据看板" in page.inner_text("h1")
    assert "乡镇(街道)社工站覆盖率" in page.inner_text(".tiles")
    shot(page, "dashboards-01-province")

    page.click("#table-ranking >> text=深圳市")  # a child in the table
    page.wait_for_url("**/dashboards/4403/?*")
    charts_drawn(page)
    assert breadcrumb(page) == ["广东省", "深圳市"]
    shot(page, "dashboards-02-city")

    click_bar(page, "南山区")  # a child on the chart
    page.wait_for_url("**/dashboards/440305/?*")
    charts_drawn(page, (*CHARTS, "#chart-map"))
    assert breadcrumb(page) == ["广东省", "深圳市", "南山区"]
    assert "粤海街道" in page.inner_text("#table-ranking")
    shot(page, "dashboards-03-county-from-province")

    page.click("nav.breadcrumb >> text=广东省")
    page.wait_for_url("**/dashboards/44/?*")
    assert breadcrumb(page) == ["广东省"]
    assert not errors, errors


def test_a_county_administrator_drills_down_and_never_above(live_server, world, browser):  # noqa: F811
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    errors = watch(page)
    log_in(page, base, "nanshan_admin")
    page.click("nav.mainnav >> text=数据看板")
    page.wait_for_url("**/dashboards/")
    page.goto(f"{base}/dashboards/{ASKED}")
    charts_drawn(page, (*CHARTS, "#chart-map"))
    assert breadcrumb(page) == ["南山区"]
    assert APPROVAL in page.inner_text("#map-view")
    data = json.loads(page.inner_text("#dashboard-data"))
    shown = [row.strip() for row in page.locator("#table-ranking tbody th").all_inner_texts()]
    assert shown == [row["name"] for row in data["ranking"]]
    shot(page, "dashboards-04-county")

    page.click("#table-coverage >> text=粤海街道")
    page.wait_for_url("**/dashboards/440305007/?*")
    charts_drawn(page)
    assert breadcrumb(page) == ["南山区", "粤海街道"]
    assert page.locator("#map-view").count() == 0  # no map registered for the street
    shot(page, "dashboards-05-street")

    page.click("nav.breadcrumb >> text=南山区")
    page.wait_for_url("**/dashboards/440305/?*")
    assert breadcrumb(page) == ["南山区"]
    assert not errors, errors
    assert page.goto(f"{base}/dashboards/4403/").status == 404  # never above the county

    page.goto(f"{base}/dashboards/{ASKED}")
    page.click("header >> text=English")
    page.wait_for_selector("text=Dashboard of 南山区")
    charts_drawn(page)
    legend = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("chart-trend"))
            .getOption().legend[0].data"""
    )
    assert legend == ["Value", "Expected", "Target"]
    shot(page, "dashboards-06-county-english")
