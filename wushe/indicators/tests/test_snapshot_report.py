"""The monthly report (月报) of last month, produced after the month ended, shows the social
workers of its month-end snapshot — cell by cell — and not those of the day it is produced;
the dashboard's trend line has last month's point."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from wushe.dashboards.monthly import HEADER_ROW, monthly_report
from wushe.dashboards.tests import sample
from wushe.indicators.models import Indicator
from wushe.indicators.periods import Period
from wushe.indicators.selectors import indicator_trend
from wushe.indicators.services import snapshot_month
from wushe.indicators.tests.helpers import enter
from wushe.workers.choices import CertificateLevel
from wushe.workers.tests.sample import make_worker

pytestmark = pytest.mark.django_db

# Indicator → (denominator element, its 南山 figure for 2026; None: the sample enters none)
SOCIAL_WORKER_INDICATORS = {
    "social_workers_per_10k_urban": ("urban_population", Decimal(1_000_000)),
    "social_workers_per_1000_elderly": ("elderly_60", Decimal(16_000)),
    "social_workers_per_100_beds": ("care_home_beds", None),
}


@pytest.fixture
def reported_in_november(monkeypatch):
    """The sample's October, four workers in 南山 on 31 October (snapshot taken that day), one
    more joining and one leaving in November, and the report made on 24 November."""

    def today(day: date) -> None:
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)

    world = sample.build()
    actor, sites = world["actor"], world["sites"]
    enter(actor, sample.NANSHAN, "elderly_60", 16_000, year=2026)
    today(date(2026, 10, 31))
    leaving = make_worker(actor, sites["yuehai"], 1)
    make_worker(actor, sites["yuehai"], 2, certificate_level=CertificateLevel.NONE)
    make_worker(actor, sites["yuehai_room"], 3)
    make_worker(actor, sites["futian"], 4)  # 福田: not in 南山's report
    make_worker(actor, sites["shekou"], 5)
    snapshot_month()
    today(date(2026, 11, 24))
    from wushe.workers.choices import WorkerStatus
    from wushe.workers.services import worker_update

    worker_update(actor=actor, worker=leaving, status=WorkerStatus.LEFT, left_on=date(2026, 11, 3))
    make_worker(actor, sites["yuehai"], 6)
    make_worker(actor, sites["yuehai"], 7)
    return world


def test_last_months_report_shows_the_month_end_social_workers_cell_by_cell(
    reported_in_november, nanshan_admin
):
    nanshan = sample.region(sample.NANSHAN)
    content = monthly_report(user=nanshan_admin, region=nanshan, month=sample.MONTH)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["指标"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    workers_at_october_end = 4  # 粤海 2, its village room 1, 蛇口 1; now 5 (one left, two came)
    for code, (denominator_code, denominator) in SOCIAL_WORKER_INDICATORS.items():
        one = Indicator.objects.get(code=code)
        assert one.numerator_id == "social_workers" and one.denominator_id == denominator_code
        name, _code, unit, numerator, found_denominator, value, target, year, gap, status = rows[
            code
        ]
        assert (name, unit) == (one.name_zh, one.unit)
        assert numerator == workers_at_october_end, code
        if denominator is None:
            assert found_denominator is None and value == "无数据" and status == "无数据", code
            continue
        assert Decimal(str(found_denominator)) == denominator, code
        expected = Decimal(workers_at_october_end) * one.factor / denominator
        assert Decimal(str(value)) == expected.quantize(Decimal("0.01")), code
        assert (target, year, gap, status) == (None, None, None, "未设目标"), code
    assert Decimal(str(rows["social_workers_per_10k_urban"][5])) == Decimal("0.04")
    assert Decimal(str(rows["social_workers_per_1000_elderly"][5])) == Decimal("0.25")


def test_the_trend_line_has_last_months_point_and_this_months(reported_in_november, nanshan_admin):
    nanshan = sample.region(sample.NANSHAN)
    per_10k = Indicator.objects.select_related("numerator", "denominator").get(
        code="social_workers_per_10k_urban"
    )
    points = indicator_trend(
        user=nanshan_admin,
        indicator=per_10k,
        region=nanshan,
        period=Period(date(2026, 9, 1), date(2026, 11, 1)),
    )
    assert [point.numerator for point in points] == [None, 4, 5]
    assert [point.value for point in points] == [None, Decimal("0.04"), Decimal("0.05")]


def test_last_months_service_statistics_count_the_residents_filed_at_its_end(
    reported_in_november, nanshan_admin
):
    from wushe.people.identity import make_id_number
    from wushe.people.services import resident_file

    nanshan = sample.region(sample.NANSHAN)
    resident_file(  # filed in November: not in October's 建档人数
        actor=reported_in_november["actor"],
        name="居民new",
        id_number=make_id_number("440305", date(1950, 1, 1), 399),
        region=sample.region(sample.SHEKOU_VILLAGE),
    )
    content = monthly_report(user=nanshan_admin, region=nanshan, month=sample.MONTH)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["服务统计"]
    cells = list(sheet.iter_rows(values_only=True))
    assert any("建档人数为月末数" in str(cell) for row in cells[:HEADER_ROW] for cell in row)
    assert cells[HEADER_ROW - 1][2] == "建档人数"
    rows = {row[1]: row[2] for row in cells[HEADER_ROW:]}
    total = cells[-1]
    assert total[2] == 4  # zhang, wang and zhao of 粤海 and li of 蛇口 on 31 October; now 5
    assert rows["440305005"] == 1 and rows["440305007"] == 3

    # This month's report counts the files as they stand.
    november = monthly_report(user=nanshan_admin, region=nanshan, month=date(2026, 11, 1))
    now = list(openpyxl.load_workbook(io.BytesIO(november))["服务统计"].iter_rows(values_only=True))
    assert now[-1][2] == 5
