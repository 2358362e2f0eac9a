"""Group work and a community activity as a station manager does them, in a real browser:
the htmx resident search, the attendance checklist and the place chooser must work in Chromium,
not only in the test client. Screenshots go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import make_site, make_user
from wushe.accounts.models import Role
from wushe.activities.models import Activity
from wushe.core.tests import test_browser as core
from wushe.groups.models import GroupSession
from wushe.groups.tests.sample import file_resident
from wushe.regions import loader
from wushe.regions.choices import SiteKind
from wushe.statistics.models import Tally

CHROMIUM, SUBMIT, log_in, shot = core.CHROMIUM, core.SUBMIT, core.log_in, core.shot
browser = core.browser  # the foundation's fixture: headless Debian Chromium
pytestmark = core.pytestmark


@pytest.fixture
def world(transactional_db):
    loader.load(loader.read_rows("440305"))
    manager = make_user("yuehai_manager", "440305007000", Role.MANAGER)
    station = make_site("440305007000", SiteKind.STATION, "粤海街道社工站")
    residents = [
        file_resident(manager, 1, name="张三丰"),
        file_resident(manager, 2, name="李四娘"),
    ]
    return {"manager": manager, "station": station, "residents": residents}


def test_a_manager_runs_a_group_and_records_an_activity(browser, live_server, world):
    base = live_server.url
    page = browser.new_page(locale="zh-CN")
    log_in(page, base, "yuehai_manager")

    page.click("text=小组工作")
    page.click("text=新建小组")
    page.fill("#id_name", "长者健康小组")
    page.select_option("#id_station", label="粤海街道社工站")
    page.select_option("#id_service_area", "elderly")
    page.fill("#id_goal", "提升长者的健康管理能力")
    page.fill("#id_started_on", "2026-03-02")
    page.fill("#id_planned_sessions", "6")
    page.click(SUBMIT)
    page.wait_for_selector("h1:has-text('长者健康小组')")

    for name in ("zsf", "李四"):  # pinyin initials, then part of a name
        page.fill("input[name=q]", name)
        page.click("form.search button[type=submit]")
        page.wait_for_selector("#resident-results li form")
        page.fill("#resident-results input[name=joined_on]", "2026-03-02")
        page.click("#resident-results button[type=submit]")
        page.wait_for_selector(".messages")
    assert page.locator("table.data >> text=张三丰").count() == 1
    shot(page, "groups-1-members")

    page.click("text=记录一节小组活动")
    page.fill("#id_held_on", "2026-03-09")
    page.fill("#id_topic", "破冰：认识彼此")
    page.check("label:has-text('张三丰')")
    shot(page, "groups-2-attendance")
    page.click(SUBMIT)
    page.wait_for_selector(".messages")
    shot(page, "groups-3-session")
    session = GroupSession.objects.get()
    assert session.number == 1 and [m.resident.name for m in session.attendees.all()] == ["张三丰"]

    page.click("text=社区活动")
    page.click("text=记录社区活动")
    page.fill("#id_held_on", "2026-06-01")
    page.fill("#id_theme", "防诈骗讲座")
    page.fill("#id_place", "科技园社区党群服务中心")
    page.select_option("#id_service_area", "elderly")
    page.select_option("#id_station", label="粤海街道社工站")
    # htmx replaces the place field with the station's township and villages.
    page.wait_for_selector("select#id_region option:has-text('科技园社区')", state="attached")
    page.select_option("#id_region", label="科技园社区居委会")
    page.fill("#id_anonymous_count", "30")
    page.fill("#id_volunteer_names", "王小明、李华")
    shot(page, "activities-1-form")
    page.click(SUBMIT)
    page.wait_for_selector("h1:has-text('防诈骗讲座')")
    page.fill("input[name=q]", "张")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("#resident-results li form")
    page.click("#resident-results button[type=submit]")
    page.wait_for_selector(".messages")
    shot(page, "activities-2-detail")

    activity = Activity.objects.get()
    assert activity.region_code == "440305007003"
    assert [r.name for r in activity.participants.all()] == ["张三丰"]
    times = Tally.objects.filter(region_code="440305007000", metric="person_times")
    assert {row.month: row.value for row in times if row.value} == {
        date(2026, 3, 1): 1,
        date(2026, 6, 1): 31,
    }
