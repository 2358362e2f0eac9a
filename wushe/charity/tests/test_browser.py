"""Charity resources as a station manager handles them, in a real browser: open a fund,
receive money into it and goods (the htmx switch between money and goods must work in
Chromium), try to spend more than the fund holds, spend, and hand out goods. Screenshots go
to ``test-artifacts/screenshots/``."""

from __future__ import annotations

import pytest

from conftest import make_user
from wushe.accounts.models import Role
from wushe.charity.models import CommunityFund, GoodsItem
from wushe.core.tests import test_browser as core
from wushe.regions import loader

SUBMIT, log_in, shot = core.SUBMIT, core.log_in, core.shot
browser = core.browser  # the foundation's fixture: headless Debian Chromium
pytestmark = core.pytestmark


@pytest.fixture
def world(transactional_db):
    loader.load(loader.read_rows("440305"))
    return {"manager": make_user("yuehai_manager", "440305007000", Role.MANAGER)}


def test_a_manager_receives_spends_and_hands_out(browser, live_server, world):
    base = live_server.url
    page = browser.new_page(locale="zh-CN")
    log_in(page, base, "yuehai_manager")

    page.click("text=社会慈善资源")
    page.click("text=社区基金 >> nth=0")
    page.click("text=设立基金")
    page.fill("#id_name", "科技园社区基金")
    page.fill("#id_region", "440305007003")
    page.click(SUBMIT)
    page.wait_for_selector("h1:has-text('科技园社区基金')")

    page.goto(f"{base}/charity/donations/new/")
    page.select_option("#id_fund", label="科技园社区基金")
    page.fill("#id_amount", "500")
    page.click(SUBMIT)
    page.wait_for_load_state()
    shot(page, "charity-donation-money")
    page.wait_for_selector(".messages")

    page.goto(f"{base}/charity/donations/new/")
    page.fill("#id_note", "中秋慰问")
    page.check("input[name=kind][value=goods]")  # htmx swaps in the goods fields
    page.wait_for_selector("#id_item_name")
    assert page.input_value("#id_note") == "中秋慰问"
    page.fill("#id_item_name", "月饼")
    page.fill("#id_quantity", "20")
    page.fill("#id_unit", "盒")
    page.fill("#id_region", "440305007003")
    shot(page, "charity-donation-goods")
    page.click(SUBMIT)
    page.wait_for_load_state()
    shot(page, "charity-donation-goods-after")
    page.wait_for_selector(".messages")

    fund = CommunityFund.objects.get()
    page.goto(f"{base}/charity/funds/{fund.pk}/")
    page.fill("#id_amount", "800")
    page.fill("#id_purpose", "困难家庭慰问金")
    page.click("form[action$='/disburse/'] button[type=submit]")
    page.wait_for_selector(".has-error")
    assert "基金余额仅 500.00 元" in page.inner_text(".has-error")
    page.fill("#id_amount", "120")
    page.click("form[action$='/disburse/'] button[type=submit]")
    page.wait_for_selector(".messages")
    assert page.inner_text("#fund-balance") == "380.00"
    shot(page, "charity-fund-ledger")

    item = GoodsItem.objects.get()
    page.goto(f"{base}/charity/goods/{item.pk}/")
    page.fill("#id_quantity", "5")
    page.fill("#id_recipient", "独居老人王阿姨")
    page.click("form[action$='/distribute/'] button[type=submit]")
    page.wait_for_selector(".messages")
    assert page.inner_text("#stock").startswith("15")
    shot(page, "charity-goods")
