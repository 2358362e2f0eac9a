"""Matching (供需对接) in a real browser (Debian's Chromium, headless): a station worker records
needs, runs matching, reads why each volunteer was proposed and what no one could meet, accepts
a proposal; the volunteer signs in and accepts the task; the worker confirms it done and the
volunteer's hours rise. Screenshots go to ``test-artifacts/screenshots/``."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import PASSWORD, make_site, make_user
from wushe.accounts.models import Role
from wushe.core.tests.test_browser import browser, log_in, pytestmark, shot  # noqa: F401
from wushe.matching.choices import NeedStatus, TaskStatus
from wushe.matching.models import Need, Task
from wushe.matching.tests.sample import (
    KEJIYUAN,
    SHENDA,
    make_resident,
    make_volunteer,
    put_points,
)
from wushe.regions import loader
from wushe.regions.choices import SiteKind
from wushe.volunteers.choices import SEED_SKILLS
from wushe.volunteers.models import Skill
from wushe.volunteers.selectors import balance

SUBMIT = "main form[method=post] button[type=submit]"


@pytest.fixture
def world(transactional_db):
    loader.load(loader.read_rows("440305"))
    # A transactional test empties the tables afterwards, the skills seeded by a migration too.
    for bit, (code, name) in enumerate(SEED_SKILLS):
        Skill.objects.get_or_create(code=code, defaults={"name": name, "bit": bit})
    put_points()
    manager = make_user("yuehai_manager", "440305007000", Role.MANAGER)
    make_site("440305007000", SiteKind.STATION, "粤海街道社工站")
    wang = make_volunteer(manager, "王志愿", KEJIYUAN, username="vol_wang")
    make_volunteer(manager, "赵远", SHENDA)  # 1.6 km away: the next best
    return {
        "manager": manager,
        "wang": wang,
        "zhang": make_resident(manager, "张秀英", phone="13812345678"),
        "li": make_resident(manager, "李桂兰", phone="13912345678"),
    }


def record_need(page, base: str, resident: str, skill: str, description: str) -> None:
    page.goto(f"{base}/matching/needs/new/")
    page.select_option("#id_station", label="粤海街道社工站")
    page.fill("#id_resident_q", resident)
    page.click("#find-resident")
    page.get_by_role("button", name="选择").first.click()
    page.wait_for_selector(f"#resident-chosen:has-text('{resident}')")
    page.select_option("#id_service_area", "elderly")
    page.get_by_label(skill).check()
    page.select_option("#id_urgency", "0")
    page.fill("#id_date_from", timezone.localdate().isoformat())
    page.fill("#id_description", description)


def test_a_worker_matches_a_need_a_volunteer_serves_it_and_their_hours_rise(
    world,
    live_server,
    browser,  # noqa: F811
):
    base = live_server.url
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    log_in(page, base, "yuehai_manager")

    # 1. Two needs from the form: one a volunteer can meet, one nobody can (legal advice).
    record_need(page, base, "张秀英", "助餐送餐", "独居，每天午餐需要送餐上门")
    shot(page, "issue4-01-need-form")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/matching/needs/\d+/$"))
    assert "独居，每天午餐需要送餐上门" in page.content() and "待对接" in page.content()
    shot(page, "issue4-02-need-recorded")
    record_need(page, base, "李桂兰", "法律咨询", "咨询赡养费纠纷")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/matching/needs/\d+/$"))
    page.goto(f"{base}/matching/")
    assert "张秀英" in page.content() and "李桂兰" in page.content()
    shot(page, "issue4-03-needs-list")

    # 2. Matching: the proposal with why and next best; the unmet need with what to recruit.
    page.goto(f"{base}/matching/runs/")
    page.select_option("#id_station", label="粤海街道社工站")
    page.click("#run-matching")
    page.wait_for_url(re.compile(r"/matching/runs/\d+/$"))
    proposals = page.locator("#proposals").inner_text()
    assert "王志愿" in proposals and "相距 0.0 公里" in proposals
    assert "赵远，1.6 公里" in proposals  # who came next
    unmet = page.locator("#unmet").inner_text()
    assert "李桂兰" in unmet and "无人具备该技能" in unmet and "招募" in unmet
    shot(page, "issue4-04-run-proposals-and-unmet")
    page.get_by_role("button", name="采纳").click()
    page.wait_for_load_state()
    assert "已采纳" in page.locator("#proposals").inner_text()
    shot(page, "issue4-05-proposal-accepted")
    task = Task.objects.get()
    assert task.status == TaskStatus.OFFERED

    # 3. The volunteer signs in, sees the task on their home page and accepts it.
    volunteer = browser.new_page(locale="zh-CN", viewport={"width": 1100, "height": 900})
    volunteer.goto(f"{base}/login/")
    volunteer.fill("#id_username", "vol_wang")
    volunteer.fill("#id_password", PASSWORD)
    volunteer.click(SUBMIT)
    volunteer.wait_for_url(f"{base}/volunteer/")
    assert "独居，每天午餐需要送餐上门" in volunteer.locator("#my-open-tasks").inner_text()
    hours_before = balance(world["wang"])[0]
    shot(volunteer, "issue4-06-volunteer-home")
    volunteer.click(f"a[href='/volunteer/tasks/{task.pk}/']")
    text = volunteer.content()
    assert "张秀英" in text and "138****5678" in text and "13812345678" not in text
    assert world["zhang"].id_number not in text
    shot(volunteer, "issue4-07-volunteer-task")
    volunteer.get_by_role("button", name="接受任务").click()
    volunteer.wait_for_load_state()
    assert "已接受" in volunteer.content()
    assert Need.objects.get(pk=task.need_id).status == NeedStatus.IN_SERVICE

    # 4. The station confirms it done with the hours; the volunteer's hours rise.
    page.goto(f"{base}/matching/tasks/{task.pk}/")
    page.fill("#id_served_on", timezone.localdate().isoformat())
    page.fill("#id_hours", "2.5")
    page.select_option("#id_tier", "basic")
    shot(page, "issue4-08-confirm-completion")
    page.click("#complete-form button[type=submit]")
    page.wait_for_load_state()
    assert "已完成" in page.content()
    assert balance(world["wang"])[0] == hours_before + Decimal("2.5")
    volunteer.goto(f"{base}/volunteer/")
    assert "2.5" in volunteer.content()
    shot(volunteer, "issue4-09-volunteer-hours")
    page.goto(f"{base}/matching/resources/")
    assert "王志愿" in page.content() and "赵远" in page.content()
    shot(page, "issue4-10-resources")
    volunteer.close()
    page.close()
