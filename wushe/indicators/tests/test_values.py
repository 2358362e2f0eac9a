"""Indicator values: subtree sums of numerators and denominators, divided once; no data where
a denominator is zero or missing; counters for the present, history where the records keep it."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import make_site
from wushe.indicators.choices import Status
from wushe.indicators.periods import Period
from wushe.indicators.selectors import indicator_by_child, indicator_trend, indicator_value
from wushe.indicators.tests.helpers import (
    NANSHAN,
    SHEKOU,
    YUEHAI,
    define,
    enter,
    indicator,
    region,
    visits,
)
from wushe.regions.choices import SiteKind

pytestmark = pytest.mark.django_db
YEAR_2025 = Period.of_year(2025)


def test_it_sums_numerators_and_denominators_over_an_uneven_tree(nanshan_admin):
    # 粤海: 1 facility of 1 has a volunteer point; 蛇口: 1 of 99. 南山 is 2 of 100 = 2%,
    # not the mean of 100% and 1.01% (50.5%).
    for code, points, facilities in ((YUEHAI, 1, 1), (SHEKOU, 1, 99)):
        enter(nanshan_admin, code, "facilities_with_volunteer_point", points)
        enter(nanshan_admin, code, "community_service_facilities", facilities)
    share = indicator("volunteer_point_share")
    total = indicator_value(
        user=nanshan_admin, indicator=share, region=region(NANSHAN), period=YEAR_2025
    )
    assert (total.numerator, total.denominator) == (2, 100)
    assert total.value == Decimal(2)
    children = {
        one.region.code: one
        for one in indicator_by_child(
            user=nanshan_admin, indicator=share, region=region(NANSHAN), period=YEAR_2025
        )
    }
    assert children[YUEHAI].value == 100
    assert round(children[SHEKOU].value, 4) == Decimal("1.0101")
    others = [one for code, one in children.items() if code not in (YUEHAI, SHEKOU)]
    assert others and all(one.value is None and one.status == Status.NO_DATA for one in others)


def test_a_zero_denominator_is_no_data_not_an_error(nanshan_admin):
    enter(nanshan_admin, YUEHAI, "facilities_with_volunteer_point", 0)
    enter(nanshan_admin, YUEHAI, "community_service_facilities", 0)
    found = indicator_value(
        user=nanshan_admin,
        indicator=indicator("volunteer_point_share"),
        region=region(YUEHAI),
        period=YEAR_2025,
    )
    assert found.value is None and found.status == Status.NO_DATA
    assert found.denominator == 0


def test_a_missing_denominator_is_no_data(nanshan_admin):
    enter(nanshan_admin, YUEHAI, "facilities_with_volunteer_point", 3)
    found = indicator_value(
        user=nanshan_admin,
        indicator=indicator("volunteer_point_share"),
        region=region(YUEHAI),
        period=YEAR_2025,
    )
    assert found.numerator == 3 and found.denominator is None and found.value is None


def test_a_regions_own_entry_wins_over_the_sum_of_its_children(nanshan_admin):
    enter(nanshan_admin, YUEHAI, "households", 1000)
    enter(nanshan_admin, SHEKOU, "households", 500)
    area = indicator("facility_area_per_100_households")
    enter(nanshan_admin, NANSHAN, "community_facility_area", 600)
    found = indicator_value(
        user=nanshan_admin, indicator=area, region=region(NANSHAN), period=YEAR_2025
    )
    assert found.denominator == 1500 and found.value == 40  # 600 / 1500 × 100
    enter(nanshan_admin, NANSHAN, "households", 2000)  # the published county figure
    found = indicator_value(
        user=nanshan_admin, indicator=area, region=region(NANSHAN), period=YEAR_2025
    )
    assert found.denominator == 2000 and found.value == 30


def test_a_later_year_reads_the_latest_figure_entered(nanshan_admin):
    enter(nanshan_admin, YUEHAI, "social_work_professionals", 80, year=2024)
    total = indicator("social_work_professionals")
    for year, expected in ((2023, None), (2024, 80), (2026, 80)):
        found = indicator_value(
            user=nanshan_admin, indicator=total, region=region(NANSHAN), period=Period.of_year(year)
        )
        assert found.value == expected, year


def test_station_coverage_reads_the_site_counters(nanshan_admin, yuehai_station):
    nanshan = region(NANSHAN)
    found = indicator_value(
        user=nanshan_admin,
        indicator=indicator("station_coverage"),
        region=nanshan,
        period=Period.current(),
    )
    assert found.numerator == 1 and found.denominator == nanshan.township_count
    assert found.value == Decimal(100) / nanshan.township_count


def test_past_coverage_counts_the_sites_opened_by_then(nanshan_admin):
    site = make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")
    site.opened_on = date(2025, 6, 15)
    site.save()
    coverage = indicator("station_coverage")
    before = indicator_value(
        user=nanshan_admin,
        indicator=coverage,
        region=region(NANSHAN),
        period=Period.of_month(date(2025, 5, 1)),
    )
    after = indicator_value(
        user=nanshan_admin,
        indicator=coverage,
        region=region(NANSHAN),
        period=Period.of_month(date(2025, 6, 1)),
    )
    assert (before.numerator, after.numerator) == (0, 1)


def test_a_stock_without_history_has_no_past_value(nanshan_admin):
    filed = define(nanshan_admin, "filed_total", "residents_filed")
    now = indicator_value(
        user=nanshan_admin, indicator=filed, region=region(NANSHAN), period=Period.current()
    )
    past = indicator_value(
        user=nanshan_admin, indicator=filed, region=region(NANSHAN), period=YEAR_2025
    )
    assert now.value == 0 and past.value is None


def test_a_flow_sums_the_months_of_the_period_and_trends_by_month(nanshan_admin):
    visits(YUEHAI + "", date(2025, 1, 10), 3)
    visits("440305007003", date(2025, 2, 10), 2)  # a village of 粤海
    visits(SHEKOU, date(2025, 2, 11), 5)
    visits(SHEKOU, date(2024, 12, 31), 7)  # outside the period
    per_village = define(nanshan_admin, "visits_per_village", "visits", "villages", 1)
    found = indicator_value(
        user=nanshan_admin, indicator=per_village, region=region(NANSHAN), period=YEAR_2025
    )
    assert found.numerator == 10 and found.denominator == region(NANSHAN).village_count
    total = define(nanshan_admin, "visit_total", "visits")
    span = Period(date(2025, 1, 1), date(2025, 3, 1))
    points = indicator_trend(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=span
    )
    assert [point.value for point in points] == [3, 7, 0]
    running = indicator_trend(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=span, cumulative=True
    )
    assert [point.value for point in running] == [3, 10, 10]


def test_regions_and_indicators_outside_the_scope_are_404(futian_admin, nanshan_admin):
    with pytest.raises(Http404):
        indicator_value(
            user=futian_admin,
            indicator=indicator("station_coverage"),
            region=region(NANSHAN),
            period=YEAR_2025,
        )
    mine = define(nanshan_admin, "nanshan_only", "visits")
    with pytest.raises(Http404):
        indicator_value(
            user=futian_admin, indicator=mine, region=region("440304000000"), period=YEAR_2025
        )


def test_a_region_with_its_children_reads_one_query_per_element(nanshan_admin, yuehai_station):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.indicators.selectors import indicator_with_children

    coverage = indicator("station_coverage")
    asked = {"user": nanshan_admin, "indicator": coverage, "period": Period.current()}
    assert nanshan_admin.region.level  # the user's own region, read once per request
    nanshan, yuehai = region(NANSHAN), region(YUEHAI)
    with CaptureQueriesContext(connection) as county:
        total, children = indicator_with_children(**asked, region=nanshan)
    with CaptureQueriesContext(connection) as township:
        indicator_with_children(**asked, region=yuehai)
    # children, numerator, denominator, targets: whatever the number of children
    assert len(county) == len(township) == 4
    assert total == indicator_value(**asked, region=region(NANSHAN))
    assert children == indicator_by_child(**asked, region=region(NANSHAN))


def test_a_coverage_trend_equals_each_months_value(nanshan_admin):
    for code, opened in (
        (YUEHAI, date(2025, 3, 5)),
        (SHEKOU, date(2025, 5, 31)),
        ("440305001000", None),
    ):
        site = make_site(code, SiteKind.STATION, f"{code}站")
        site.opened_on = opened
        site.save()
    coverage = indicator("station_coverage")
    span = Period(date(2025, 1, 1), date(2025, 7, 1))
    points = indicator_trend(
        user=nanshan_admin, indicator=coverage, region=region(NANSHAN), period=span
    )
    assert [point.numerator for point in points] == [1, 1, 2, 2, 3, 3, 3]
    for point in points:
        alone = indicator_value(
            user=nanshan_admin, indicator=coverage, region=region(NANSHAN), period=point.period
        )
        assert (alone.numerator, alone.value) == (point.numerator, point.value)


def test_kpis_are_the_built_in_set_in_order_for_the_region(nanshan_admin, yuehai_station):
    from wushe.indicators.models import Indicator
    from wushe.indicators.selectors import kpis

    enter(nanshan_admin, YUEHAI, "households", 1000)
    enter(nanshan_admin, YUEHAI, "community_facility_area", 320)
    found = kpis(user=nanshan_admin, region=region(NANSHAN), period=Period.current())
    built_in = Indicator.objects.filter(built_in=True).order_by("position")
    assert [one.indicator.code for one in found] == [one.code for one in built_in]
    by_code = {one.indicator.code: one for one in found}
    assert by_code["station_coverage"].numerator == 1
    assert by_code["facility_area_per_100_households"].value == 32
    assert by_code["volunteer_point_share"].status == "no_data"
    with pytest.raises(Http404):
        kpis(user=nanshan_admin, region=region("440304000000"), period=Period.current())


def test_the_largest_figures_still_sum_up_the_tree_and_larger_ones_are_refused(nanshan_admin):
    largest = Decimal("9999999999.99")
    enter(nanshan_admin, YUEHAI, "households", largest)
    enter(nanshan_admin, SHEKOU, "households", largest)
    households = define(nanshan_admin, "households_total", "households")
    found = indicator_value(
        user=nanshan_admin, indicator=households, region=region(NANSHAN), period=YEAR_2025
    )
    assert found.value == 2 * largest
    with pytest.raises(ValidationError) as refused:
        enter(nanshan_admin, YUEHAI, "households", Decimal("10000000000"))
    assert "value" in refused.value.message_dict


def test_kpis_read_each_element_once_and_equal_each_indicator_alone(nanshan_admin, yuehai_station):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.indicators.models import Indicator
    from wushe.indicators.selectors import kpis

    for code, value in (("households", 1000), ("community_facility_area", 320), ("elderly_60", 0)):
        enter(nanshan_admin, YUEHAI, code, value)
    asked = {"user": nanshan_admin, "region": region(NANSHAN), "period": Period.current()}
    with CaptureQueriesContext(connection) as captured:
        found = kpis(**asked)
    built_in = Indicator.objects.filter(built_in=True).select_related("numerator", "denominator")
    used = {e for one in built_in for e in (one.numerator, one.denominator) if e is not None}
    from_records = {e.code for e in used if not e.is_entered}
    # the list, the record elements one by one, all entered elements, all targets
    assert len(captured) == 1 + len(from_records) + 1 + 1
    for one in found:
        alone = indicator_value(**asked, indicator=one.indicator)
        assert (one.numerator, one.denominator, one.value, one.status) == (
            alone.numerator,
            alone.denominator,
            alone.value,
            alone.status,
        ), one.indicator.code


def test_a_years_coverage_trend_reads_the_townships_once(nanshan_admin, yuehai_station):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coverage = indicator("station_coverage")
    span, nanshan = Period(date(2025, 1, 1), date(2025, 12, 1)), region(NANSHAN)
    assert nanshan_admin.region.level  # the user's own region, read once per request
    with CaptureQueriesContext(connection) as captured:
        points = indicator_trend(
            user=nanshan_admin, indicator=coverage, region=nanshan, period=span
        )
    assert len(captured) == 3, [q["sql"] for q in captured]  # stations, townships, targets
    townships = nanshan.township_count
    assert [point.denominator for point in points] == [townships] * 12
