"""Month-end snapshots (月末数) of the stocks the counters hold for the present only: a month that
has ended reads its snapshot, a month never taken reads no data, a month taken without a row
reads 0, and only the current month can be taken (service and command)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import YUEHAI_VILLAGE
from wushe.indicators import snapshots
from wushe.indicators.choices import Status
from wushe.indicators.models import SnapshotMonth, StockSnapshot
from wushe.indicators.periods import Period
from wushe.indicators.selectors import element_values, indicator_trend, indicator_value
from wushe.indicators.services import snapshot_month
from wushe.indicators.tests.helpers import (
    NANSHAN,
    SHEKOU,
    YUEHAI,
    define,
    element,
    enter,
    indicator,
    region,
)
from wushe.workers.choices import CertificateLevel
from wushe.workers.tests.sample import make_worker

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER, NOVEMBER = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def clock(monkeypatch):
    """Set today (the selectors and the service read ``timezone.localdate``)."""

    def set_today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    return set_today


def workers(values: dict) -> dict:
    return {code: int(value) for code, value in values.items()}


@pytest.fixture
def october(nanshan_admin, yuehai_station, clock):
    """Two workers of 粤海 (one certified) on 31 October, when the snapshot is taken; a third
    joins in November."""
    clock(date(2026, 10, 31))
    make_worker(nanshan_admin, yuehai_station, 1)
    make_worker(nanshan_admin, yuehai_station, 2, certificate_level=CertificateLevel.NONE)
    taken = snapshot_month()
    clock(date(2026, 11, 24))
    make_worker(nanshan_admin, yuehai_station, 3)
    return taken


def test_a_past_month_reads_its_snapshot_not_the_present(october):
    codes = [NANSHAN, YUEHAI, SHEKOU]
    past = element_values(element("social_workers"), codes, Period.of_month(OCTOBER))
    assert workers(past) == {NANSHAN: 2, YUEHAI: 2, SHEKOU: 0}
    certified = element_values(element("social_workers_certified"), codes, Period.of_month(OCTOBER))
    assert workers(certified) == {NANSHAN: 1, YUEHAI: 1, SHEKOU: 0}
    now = element_values(element("social_workers"), codes, Period.of_month(NOVEMBER))
    assert workers(now) == {NANSHAN: 3, YUEHAI: 3, SHEKOU: 0}
    # A period that ended in October (the year to October) reads October's end too.
    to_october = element_values(
        element("social_workers"), [NANSHAN], Period(date(2026, 1, 1), OCTOBER)
    )
    assert workers(to_october) == {NANSHAN: 2}


def test_a_month_never_snapshotted_reads_no_data(october, nanshan_admin):
    assert element_values(element("social_workers"), [NANSHAN], Period.of_month(SEPTEMBER)) == {}
    enter(nanshan_admin, NANSHAN, "elderly_60", 4000, year=2026)
    found = indicator_value(
        user=nanshan_admin,
        indicator=indicator("social_workers_per_1000_elderly"),
        region=region(NANSHAN),
        period=Period.of_month(SEPTEMBER),
    )
    assert found.numerator is None and found.value is None and found.status == Status.NO_DATA
    october_value = indicator_value(
        user=nanshan_admin,
        indicator=indicator("social_workers_per_1000_elderly"),
        region=region(NANSHAN),
        period=Period.of_month(OCTOBER),
    )
    assert october_value.value == Decimal("0.5")  # 2 workers per 4,000 elderly × 1000


def test_a_snapshotted_month_without_a_row_reads_zero(october):
    assert not StockSnapshot.objects.filter(element_id="volunteers").exists()
    assert SnapshotMonth.objects.filter(element_id="volunteers", month=OCTOBER).exists()
    found = element_values(element("volunteers"), [NANSHAN, SHEKOU], Period.of_month(OCTOBER))
    assert found == {NANSHAN: 0, SHEKOU: 0}
    assert element_values(element("social_workers"), [SHEKOU], Period.of_month(OCTOBER)) == {
        SHEKOU: 0
    }


def test_it_stores_only_regions_with_a_figure_and_one_mark_per_element(october):
    rows = set(
        StockSnapshot.objects.filter(element_id="social_workers").values_list(
            "month", "region_code", "value"
        )
    )
    lineage = ["000000000000", "440000000000", "440300000000", NANSHAN, YUEHAI]
    assert rows == {(OCTOBER, code, Decimal(2)) for code in lineage}
    marks = SnapshotMonth.objects.filter(month=OCTOBER)
    taken = set(marks.values_list("element_id", flat=True))
    assert taken == set(october.elements)
    assert {"social_workers", "social_workers_certified", "volunteers", "residents_filed"} <= taken
    # Stocks with their own history are not snapshotted: sites, the tree, fund balances.
    assert not taken & {"stations_operating", "townships", "fund_balance", "visits"}
    assert october.rows == StockSnapshot.objects.count() == sum(m.rows for m in marks)


def test_a_second_run_in_the_month_replaces_the_first(october, nanshan_admin, clock):
    clock(date(2026, 11, 2))
    snapshot_month()
    clock(date(2026, 11, 30))
    make_worker(nanshan_admin, october_station(nanshan_admin), 4)
    snapshot_month()
    clock(date(2026, 12, 1))
    codes = [NANSHAN, YUEHAI, SHEKOU]
    november = element_values(element("social_workers"), codes, Period.of_month(NOVEMBER))
    assert workers(november) == {NANSHAN: 4, YUEHAI: 3, SHEKOU: 1}
    assert SnapshotMonth.objects.filter(element_id="social_workers", month=NOVEMBER).count() == 1
    october_again = element_values(element("social_workers"), codes, Period.of_month(OCTOBER))
    assert workers(october_again) == {NANSHAN: 2, YUEHAI: 2, SHEKOU: 0}


def october_station(actor):
    """A station of 蛇口 (opened before the snapshots: sites have their own history)."""
    from conftest import make_site
    from wushe.regions.choices import SiteKind

    return make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")


def test_a_past_or_future_month_is_refused_by_the_service(clock):
    clock(date(2026, 11, 24))
    with pytest.raises(ValidationError) as ended:
        snapshot_month(month=OCTOBER)
    assert ended.value.error_dict["month"][0].code == "month_ended"
    assert "2026-10 已结束" in ended.value.message_dict["month"][0]
    with pytest.raises(ValidationError) as ahead:
        snapshot_month(month=date(2026, 12, 1))
    assert ahead.value.error_dict["month"][0].code == "month_not_begun"
    assert not SnapshotMonth.objects.exists() and not StockSnapshot.objects.exists()
    assert snapshot_month(month=date(2026, 11, 15)).month == NOVEMBER


def test_the_command_stores_the_month_and_refuses_a_past_one(
    yuehai_station, nanshan_admin, clock, capsys
):
    clock(date(2026, 11, 24))
    make_worker(nanshan_admin, yuehai_station, 1)
    call_command("indicators", "snapshot")
    out = capsys.readouterr().out
    assert "month-end figures of 2026-11 stored" in out and "已保存 2026-11 月末数" in out
    assert "social_workers" in out and " ms " in out
    rows = StockSnapshot.objects.filter(month=NOVEMBER).count()
    assert f"{rows} rows" in out and rows >= 5  # the worker's lineage, at least
    with pytest.raises(CommandError) as refused:
        call_command("indicators", "snapshot", "--month", "2026-10")
    message = str(refused.value)
    assert refused.value.returncode == 2
    assert "2026-10 has ended" in message and "2026-10 已结束" in message
    with pytest.raises(CommandError) as bad:
        call_command("indicators", "snapshot", "--month", "October")
    assert bad.value.returncode == 2
    assert not StockSnapshot.objects.filter(month=OCTOBER).exists()
    call_command("indicators", "snapshot", "--month", "2026-11")
    assert StockSnapshot.objects.filter(month=NOVEMBER).count() == rows


def test_the_trend_shows_the_months_taken_and_the_present(october, nanshan_admin):
    per_worker = define(nanshan_admin, "workers_total", "social_workers")
    points = indicator_trend(
        user=nanshan_admin,
        indicator=per_worker,
        region=region(NANSHAN),
        period=Period(SEPTEMBER, NOVEMBER),
    )
    assert [point.value for point in points] == [None, Decimal(2), Decimal(3)]


def test_filed_residents_are_copied_from_their_counters(nanshan_admin, clock):
    from wushe.people.choices import Category
    from wushe.people.identity import make_id_number
    from wushe.people.services import resident_file

    clock(date(2026, 10, 20))
    resident_file(
        actor=nanshan_admin,
        name="张三",
        id_number=make_id_number("440305", date(1941, 5, 2), 301),
        region=region(YUEHAI_VILLAGE),
        categories=[Category.SUBSISTENCE, Category.LIVING_ALONE],
    )
    snapshot_month()
    clock(date(2026, 11, 3))
    codes = [NANSHAN, YUEHAI, SHEKOU]
    october = Period.of_month(OCTOBER)
    assert element_values(element("residents_filed"), codes, october) == {
        NANSHAN: 1,
        YUEHAI: 1,
        SHEKOU: 0,
    }
    assert element_values(element("residents_dibao"), [YUEHAI_VILLAGE], october) == {
        YUEHAI_VILLAGE: 1
    }
    assert element_values(element("residents_orphan"), [NANSHAN], october) == {NANSHAN: 0}


def test_a_fund_balance_is_read_from_its_ledger_at_any_month_end(nanshan_admin, clock):
    from wushe.charity.fund_services import fund_open
    from wushe.charity.tests.sample import give_money, spend

    clock(date(2026, 11, 24))
    fund = fund_open(
        actor=nanshan_admin,
        name="科技园社区基金",
        region=region(YUEHAI_VILLAGE),
        opened_on=SEPTEMBER,
    )
    give_money(nanshan_admin, fund, "300.50", received_on=date(2026, 9, 10))
    give_money(nanshan_admin, fund, "100", received_on=date(2026, 10, 2))
    spend(nanshan_admin, fund, "50.25", occurred_on=date(2026, 10, 20))
    balance = element("fund_balance")
    months = {
        month: element_values(balance, [NANSHAN, SHEKOU], Period.of_month(month))
        for month in (date(2026, 8, 1), SEPTEMBER, OCTOBER)
    }
    assert months[date(2026, 8, 1)] == {NANSHAN: 0, SHEKOU: 0}
    assert months[SEPTEMBER] == {NANSHAN: Decimal("300.50"), SHEKOU: 0}
    assert months[OCTOBER] == {NANSHAN: Decimal("350.25"), SHEKOU: 0}
    now = element_values(balance, [NANSHAN], Period.current())
    assert now == {NANSHAN: Decimal("350.25")}  # the stored balances
    total = define(nanshan_admin, "fund_total", "fund_balance")
    points = indicator_trend(
        user=nanshan_admin,
        indicator=total,
        region=region(NANSHAN),
        period=Period(date(2026, 8, 1), OCTOBER),
    )
    assert [point.value for point in points] == [0, Decimal("300.50"), Decimal("350.25")]
    assert not SnapshotMonth.objects.filter(element_id="fund_balance").exists()


def test_an_element_without_a_snapshot_source_is_walked_down_the_tree(october, monkeypatch):
    from wushe.indicators import elements

    live = elements.element_function("social_workers")
    monkeypatch.setitem(
        elements._REGISTRY,
        "social_workers",
        elements.ElementFunction("social_workers", live.compute),
    )
    walked = snapshots.walked(elements.element_function("social_workers"))
    assert workers(walked) == {
        code: 3 for code in ["000000000000", "440000000000", "440300000000", NANSHAN, YUEHAI]
    }
