"""Targets: the nearest region's applies below it; attainment statuses along the path to it."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import FUTIAN, make_user
from wushe.accounts.models import Role
from wushe.indicators.choices import Direction, Status
from wushe.indicators.entries import target_set
from wushe.indicators.periods import Period
from wushe.indicators.selectors import indicator_by_child, indicator_value
from wushe.indicators.tests.helpers import (
    GUANGDONG,
    NANSHAN,
    SHENZHEN,
    YUEHAI,
    define,
    enter,
    indicator,
    region,
    visits,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def guangdong_admin(db):
    return make_user("guangdong_admin", GUANGDONG, Role.ADMIN)


def share_of(user, code: str, period: Period):
    return indicator_value(
        user=user, indicator=indicator("volunteer_point_share"), region=region(code), period=period
    )


def entered_share(user, code: str, points: int, facilities: int = 100, year: int = 2025) -> None:
    enter(user, code, "facilities_with_volunteer_point", points, year=year)
    enter(user, code, "community_service_facilities", facilities, year=year)


def test_a_provinces_target_applies_below_unless_a_child_sets_its_own(
    guangdong_admin, nanshan_admin
):
    share = indicator("volunteer_point_share")
    target_set(
        actor=guangdong_admin, region=region(GUANGDONG), indicator=share, year=2025, value=50
    )
    for code in (NANSHAN, YUEHAI, FUTIAN):
        entered_share(guangdong_admin, code, 10)
    year = Period.of_year(2025)
    nanshan = share_of(nanshan_admin, NANSHAN, year)
    assert (nanshan.target, nanshan.target_region_code, nanshan.inherited) == (50, GUANGDONG, True)
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=share, year=2025, value=60)
    assert share_of(nanshan_admin, NANSHAN, year).target == 60
    assert not share_of(nanshan_admin, NANSHAN, year).inherited
    assert share_of(nanshan_admin, YUEHAI, year).target == 60  # the nearest ancestor's
    assert share_of(guangdong_admin, FUTIAN, year).target == 50
    children = indicator_by_child(
        user=guangdong_admin, indicator=share, region=region(SHENZHEN), period=year
    )
    targets = {one.region.code: one.target for one in children}
    assert targets[NANSHAN] == 60 and targets[FUTIAN] == 50


def test_the_nearest_deadline_ahead_applies_then_the_latest_past(nanshan_admin):
    share = indicator("volunteer_point_share")
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=share, year=2022, value=100)
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=share, year=2025, value=80)
    for year in (2021, 2024, 2026):
        entered_share(nanshan_admin, NANSHAN, 10, year=year)
    chosen = {
        year: share_of(nanshan_admin, NANSHAN, Period.of_year(year)).target_year
        for year in (2021, 2022, 2024, 2026)
    }
    assert chosen == {2021: 2022, 2022: 2022, 2024: 2025, 2026: 2025}


@pytest.mark.parametrize(
    ("points", "year", "status", "gap"),
    [
        (80, 2023, Status.MET, 0),
        (85, 2023, Status.MET, -5),
        (50, 2023, Status.ON_TRACK, 30),  # the path from 0 (end 2020) to 80 (end 2025): 48
        (40, 2023, Status.BEHIND, 40),
        (70, 2026, Status.BEHIND, 10),  # the deadline has passed
    ],
)
def test_statuses_follow_a_straight_path_to_the_target(nanshan_admin, points, year, status, gap):
    share = indicator("volunteer_point_share")
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=share, year=2025, value=80)
    entered_share(nanshan_admin, NANSHAN, points, year=year)
    found = share_of(nanshan_admin, NANSHAN, Period.of_year(year))
    assert (found.status, found.gap) == (status, gap)
    if year == 2023:
        assert found.expected == 48


def test_a_base_starts_the_path(nanshan_admin):
    total = indicator("social_work_professionals")
    target_set(
        actor=nanshan_admin,
        region=region(NANSHAN),
        indicator=total,
        year=2025,
        value=50000,
        base_year=2020,
        base_value=30000,
    )
    enter(nanshan_admin, NANSHAN, "social_work_professionals", 41000, year=2023)
    found = indicator_value(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=Period.of_year(2023)
    )
    assert found.expected == 42000 and found.status == Status.BEHIND


def test_lower_is_better_reverses_the_gap(nanshan_admin):
    crowding = define(
        nanshan_admin,
        "households_per_facility",
        "households",
        "community_service_facilities",
        direction=Direction.LOWER,
    )
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=crowding, year=2025, value=10)
    enter(nanshan_admin, NANSHAN, "community_service_facilities", 10)
    enter(nanshan_admin, NANSHAN, "households", 120)
    found = indicator_value(
        user=nanshan_admin, indicator=crowding, region=region(NANSHAN), period=Period.of_year(2025)
    )
    assert (found.value, found.gap, found.status) == (12, 2, Status.BEHIND)
    enter(nanshan_admin, NANSHAN, "households", 90)
    found = indicator_value(
        user=nanshan_admin, indicator=crowding, region=region(NANSHAN), period=Period.of_year(2025)
    )
    assert (found.value, found.gap, found.status) == (9, -1, Status.MET)


def test_a_yearly_total_of_a_flow_is_on_track_pro_rata(nanshan_admin):
    total = define(nanshan_admin, "visit_total", "visits")
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=total, year=2025, value=1200)
    half = Period(date(2025, 1, 1), date(2025, 6, 1))
    visits(YUEHAI, date(2025, 3, 1), 500)
    found = indicator_value(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=half
    )
    assert (found.expected, found.status) == (600, Status.BEHIND)
    visits(YUEHAI, date(2025, 5, 1), 200)
    found = indicator_value(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=half
    )
    assert found.status == Status.ON_TRACK


def test_no_data_and_no_target(nanshan_admin):
    year = Period.of_year(2025)
    assert share_of(nanshan_admin, NANSHAN, year).status == Status.NO_DATA
    entered_share(nanshan_admin, NANSHAN, 10)
    found = share_of(nanshan_admin, NANSHAN, year)
    assert (found.value, found.status, found.target) == (Decimal(10), Status.NO_TARGET, None)


def test_a_yearly_total_holds_in_the_years_after_it_was_set(nanshan_admin):
    total = define(nanshan_admin, "visit_total", "visits")
    target_set(actor=nanshan_admin, region=region(NANSHAN), indicator=total, year=2025, value=1200)
    visits(YUEHAI, date(2026, 2, 1), 250)
    quarter = Period(date(2026, 1, 1), date(2026, 3, 1))
    found = indicator_value(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=quarter
    )
    assert (found.target_year, found.expected, found.status) == (2025, 300, Status.BEHIND)
    visits(YUEHAI, date(2026, 3, 1), 60)
    found = indicator_value(
        user=nanshan_admin, indicator=total, region=region(NANSHAN), period=quarter
    )
    assert found.status == Status.ON_TRACK  # 310 of the quarter's 300, not "deadline passed"
