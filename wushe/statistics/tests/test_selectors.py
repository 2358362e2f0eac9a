"""statistics_for and statistics_by_child: the figures of a subtree over whole months, read
from the counters, equal to what the records say."""

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from conftest import FUTIAN, NANSHAN, SHEKOU, YUEHAI
from wushe.people.choices import Category
from wushe.regions.models import Region
from wushe.statistics.direct import counted_from_records
from wushe.statistics.selectors import statistics_by_child, statistics_for
from wushe.statistics.tests.sample import (
    EXPECTED,
    JANUARY,
    MARCH,
    YUEHAI_EXPECTED,
    record_the_year,
)
from wushe.statistics.tests.world import STEPS, World, clear, shenzhen_admin

pytestmark = pytest.mark.django_db

FIELDS = [*EXPECTED]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def picked(figures) -> dict:
    return {name: getattr(figures, name) for name in FIELDS}


@pytest.fixture
def year(nanshan_admin, yuehai_station):
    return record_the_year(nanshan_admin, yuehai_station)


def test_the_figures_of_a_county_are_what_the_year_recorded(nanshan_admin, year):
    figures = statistics_for(
        user=nanshan_admin, region=region(NANSHAN), month_from=JANUARY, month_to=MARCH
    )
    assert picked(figures) == EXPECTED
    filed = {key: n for key, n in figures.categories.items() if n}
    assert filed == {
        Category.SUBSISTENCE: 1,
        Category.LIVING_ALONE: 1,
        Category.NEAR_SUBSISTENCE: 1,
    }


def test_each_child_region_has_its_own_share(nanshan_admin, year):
    rows = statistics_by_child(
        user=nanshan_admin, region=region(NANSHAN), month_from=JANUARY, month_to=MARCH
    )
    by_code = {row.region.code: row for row in rows}
    assert [row.region.code for row in rows] == sorted(by_code)
    assert len(rows) == Region.objects.filter(parent_id=NANSHAN).count()
    assert picked(by_code[YUEHAI]) == YUEHAI_EXPECTED
    shekou = by_code[SHEKOU]
    assert (shekou.persons, shekou.visits, shekou.cases_opened, shekou.cases_open) == (1, 1, 1, 1)
    assert shekou.person_times == 1 and shekou.elderly == 0
    others = [row for code, row in by_code.items() if code not in (YUEHAI, SHEKOU)]
    assert all(sum(picked(row).values()) == 0 for row in others)


def test_a_period_counts_only_its_own_months(nanshan_admin, year):
    def figures(first: date, last: date):
        return statistics_for(
            user=nanshan_admin, region=region(NANSHAN), month_from=first, month_to=last
        )

    january = figures(JANUARY, JANUARY)
    assert (january.visits, january.group_sessions, january.activities) == (2, 1, 0)
    assert (january.cases_served, january.cases_open) == (1, 1)  # opened in December
    december = figures(date(2025, 12, 1), date(2025, 12, 1))
    assert (december.cases_opened, december.cases_open, december.visits) == (1, 1, 0)
    april = figures(date(2026, 4, 1), date(2026, 4, 1))
    assert (april.cases_served, april.cases_open, april.visits) == (1, 1, 0)
    assert april.persons == 2  # files are counted as they are now, whatever the period


def test_the_counters_give_what_a_count_of_the_records_gives(nanshan_admin, year):
    for code in (NANSHAN, YUEHAI, SHEKOU, "440305007003"):
        for first, last in ((JANUARY, MARCH), (date(2025, 12, 1), JANUARY), (MARCH, MARCH)):
            asked = {"user": nanshan_admin, "region": region(code)}
            period = {"month_from": first, "month_to": last}
            assert statistics_for(**asked, **period) == counted_from_records(**asked, **period)


def test_after_random_work_every_region_reads_as_its_records(db):
    clear()
    admin = shenzhen_admin()
    rng = random.Random(11)
    steps = [
        (rng.choice(STEPS), rng.randrange(8), rng.randrange(16), rng.randrange(16))
        for _step in range(120)
    ]
    World(admin).run([("file", n, n, n) for n in range(5)] + steps)
    this_month = timezone.localdate().replace(day=1)
    shenzhen = statistics_for(
        user=admin, region=region("440300000000"), month_from=date(2000, 1, 1), month_to=this_month
    )
    assert shenzhen.visits and shenzhen.cases_opened and shenzhen.group_sessions
    assert shenzhen.activities and shenzhen.persons
    for code in ("440300000000", NANSHAN, FUTIAN, YUEHAI, SHEKOU, "440304002000"):
        for first in (date(this_month.year - 1, 1, 1), this_month):
            asked = {"user": admin, "region": region(code)}
            period = {"month_from": first, "month_to": this_month}
            assert statistics_for(**asked, **period) == counted_from_records(**asked, **period)


def test_a_region_outside_the_users_subtree_is_not_found(futian_admin, year):
    with pytest.raises(Http404):
        statistics_for(
            user=futian_admin, region=region(NANSHAN), month_from=JANUARY, month_to=MARCH
        )
    with pytest.raises(Http404):
        statistics_by_child(
            user=futian_admin, region=region(YUEHAI), month_from=JANUARY, month_to=MARCH
        )


def test_a_period_that_ends_before_it_starts_is_refused(nanshan_admin):
    with pytest.raises(ValidationError) as raised:
        statistics_for(
            user=nanshan_admin, region=region(NANSHAN), month_from=MARCH, month_to=JANUARY
        )
    assert "to" in raised.value.message_dict


def test_the_figures_take_a_fixed_number_of_queries(nanshan_admin, year, django_assert_num_queries):
    asked = {"user": nanshan_admin, "region": region(NANSHAN)}
    period = {"month_from": JANUARY, "month_to": MARCH}
    with django_assert_num_queries(4):  # tallies, filed counts, birth months, the cut-off month
        statistics_for(**asked, **period)
    with django_assert_num_queries(5):  # the children, then the same four for all of them
        statistics_by_child(**asked, **period)
