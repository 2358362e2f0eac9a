"""Elements of the five-forces apps: volunteers and their hours, community fund balances, and
social workers (no data until the workers app's selector exists)."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from wushe.indicators.periods import Period
from wushe.indicators.selectors import element_values, indicator_by_child, indicator_value
from wushe.indicators.tests.helpers import (
    NANSHAN,
    SHEKOU,
    YUEHAI,
    define,
    element,
    indicator,
    region,
)

pytestmark = pytest.mark.django_db


def _has(module: str, name: str) -> bool:
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def test_volunteers_and_their_hours_are_counted_by_home_village(nanshan_admin):
    from wushe.volunteers.ledger_services import service_record
    from wushe.volunteers.tests.sample import register_chen, register_wang

    wang, chen = register_wang(nanshan_admin), register_chen(nanshan_admin)
    today = timezone.localdate()
    service_record(
        actor=nanshan_admin, volunteer=wang, hours="2.5", occurred_on=today, content="探访"
    )
    last_year = today.replace(year=today.year - 1)
    service_record(
        actor=nanshan_admin, volunteer=chen, hours="4", occurred_on=last_year, content="助餐"
    )
    hours = define(nanshan_admin, "hours_total", "volunteer_hours")
    this_year = Period.current()
    rows = {
        one.region.code: one.value
        for one in indicator_by_child(
            user=nanshan_admin, indicator=hours, region=region(NANSHAN), period=this_year
        )
    }
    assert rows[YUEHAI] == Decimal("2.5") and rows[SHEKOU] == 0
    whole = Period(date(last_year.year, 1, 1), this_year.end)
    total = indicator_value(
        user=nanshan_admin, indicator=hours, region=region(NANSHAN), period=whole
    )
    assert total.value == Decimal("6.5")
    counted = element_values(element("volunteers"), [NANSHAN, YUEHAI, SHEKOU], this_year)
    assert counted == {NANSHAN: 2, YUEHAI: 1, SHEKOU: 1}


def test_fund_balances_come_from_the_charity_app(nanshan_admin):
    from wushe.charity.tests.sample import give_money, make_fund

    fund = make_fund(nanshan_admin)
    give_money(nanshan_admin, fund, "300.50", received_on=timezone.localdate() - timedelta(days=1))
    balance = element_values(element("fund_balance"), [NANSHAN, SHEKOU], Period.current())
    assert balance == {NANSHAN: Decimal("300.50"), SHEKOU: 0}
    past = element_values(element("fund_balance"), [NANSHAN], Period.of_year(2020))
    assert past == {NANSHAN: 0}  # from the ledger: nothing had been given by the end of 2020


@pytest.mark.skipif(
    not _has("wushe.workers.selectors", "worker_counts"),
    reason="the workers app (wushe.workers.selectors.worker_counts) has not landed yet",
)
def test_social_workers_come_from_the_workers_app(nanshan_admin, yuehai_station):
    from wushe.workers.choices import CertificateLevel
    from wushe.workers.tests.sample import make_worker

    make_worker(nanshan_admin, yuehai_station, 1)
    make_worker(nanshan_admin, yuehai_station, 2, certificate_level=CertificateLevel.NONE)
    now = Period.current()
    workers = element_values(element("social_workers"), [NANSHAN, YUEHAI, SHEKOU], now)
    certified = element_values(element("social_workers_certified"), [NANSHAN, SHEKOU], now)
    assert workers == {NANSHAN: 2, YUEHAI: 2, SHEKOU: 0}
    assert certified == {NANSHAN: 1, SHEKOU: 0}
    assert element_values(element("social_workers"), [NANSHAN], Period.of_year(2020)) == {}


def test_an_element_of_an_app_not_installed_is_no_data_not_an_error(nanshan_admin, monkeypatch):
    from wushe.indicators import elements
    from wushe.indicators.five_forces import _pick

    missing = elements.optional("wushe.no_such_app.selectors", "counts", _pick("workers"))
    monkeypatch.setitem(
        elements._REGISTRY, "social_workers", elements.ElementFunction("social_workers", missing)
    )
    per_elderly = indicator_value(
        user=nanshan_admin,
        indicator=indicator("social_workers_per_1000_elderly"),
        region=region(NANSHAN),
        period=Period.current(),
    )
    assert per_elderly.numerator is None and per_elderly.value is None
