"""Incremental values equal a full recompute: after any sequence of service calls (residents,
visits, cases, groups, activities, sites opened and closed, figures entered, corrected and
deleted at any level), every indicator of every region equals its value computed straight from
the records and the entries, and the entered totals equal a rebuild."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wushe.indicators import entries, totals
from wushe.indicators.attainment import ratio
from wushe.indicators.models import EnteredTotal, EnteredValue, Indicator
from wushe.indicators.periods import Period, add_months, this_month
from wushe.indicators.selectors import indicator_by_child, indicator_value
from wushe.indicators.tests import direct
from wushe.indicators.tests.helpers import define, element, region
from wushe.regions import services as sites
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Site
from wushe.statistics.tests.world import STEPS, VILLAGES, World, clear, shenzhen_admin

pytestmark = pytest.mark.django_db

# Regions figures are entered for: the city, a county, townships and villages of both counties.
ENTRY_REGIONS = [
    "440300000000",
    "440305000000",
    "440305007000",
    "440305005000",
    "440305007003",
    "440305007004",
    "440304002000",
    "440304002016",
]
SITE_REGIONS = [
    ("440305007000", SiteKind.STATION),
    ("440305005000", SiteKind.STATION),
    ("440304002000", SiteKind.STATION),
    ("440305007003", SiteKind.ROOM),
    ("440304002016", SiteKind.ROOM),
]
ENTERED = ["households", "resident_population", "elderly_60"]
STATUSES = [SiteStatus.OPERATING, SiteStatus.PLANNED, SiteStatus.CLOSED]


class Everything(World):
    """The statistics world, plus sites and entered figures."""

    def site(self, a: int, b: int, c: int) -> None:
        code, kind = SITE_REGIONS[a % len(SITE_REGIONS)]
        site = Site.objects.filter(region_id=code, kind=kind).exclude(status="closed").first()
        status = STATUSES[b % len(STATUSES)]
        if site is None:
            sites.site_create(
                actor=self.actor, name=f"站{a}{b}", kind=kind, region=region(code), status=status
            )
        else:
            sites.site_update(actor=self.actor, site=site, status=status)

    def enter(self, a: int, b: int, c: int) -> None:
        code = ENTRY_REGIONS[a % len(ENTRY_REGIONS)]
        entries.entered_value_set(
            actor=self.actor,
            region=region(code),
            year=2024 + c % 3,
            element=element(ENTERED[b % len(ENTERED)]),
            value=Decimal(b * 37 + c) / 4,
        )

    def unenter(self, a: int, b: int, c: int) -> None:
        found = list(EnteredValue.objects.order_by("pk"))
        if found:
            entries.entered_value_delete(actor=self.actor, entered=found[a % len(found)])


EXTRA = ["site", "site", "site", "enter", "enter", "enter", "enter", "unenter"]
steps = st.lists(
    st.tuples(
        st.sampled_from(STEPS + EXTRA),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=0, max_value=15),
        st.integers(min_value=0, max_value=15),
    ),
    min_size=1,
    max_size=25,
)


def custom(actor) -> list[Indicator]:
    """Indicators over records, entries and both, besides the built-in coverage ones."""
    existing = {one.code: one for one in Indicator.objects.filter(code__startswith="t_")}
    wanted = [
        ("t_visits_per_village", "visits", "villages", 1),
        ("t_person_times_per_1000", "person_times", "resident_population", 1000),
        ("t_filed_per_household", "residents_filed", "households", 100),
        ("t_elderly_share", "elderly_60", "resident_population", 100),
        ("t_dibao", "residents_dibao", None, 1),
    ]
    made = [
        existing.get(code) or define(actor, code, num, den, factor)
        for code, num, den, factor in wanted
    ]
    built_in = Indicator.objects.filter(code__in=["station_coverage", "room_coverage"])
    return [*made, *built_in.select_related("numerator", "denominator")]


def figure(actor, element_code: str, node, period: Period) -> Decimal | None:
    found = element(element_code)
    if found.is_entered:
        return direct.entered_figure(element_code, node, period.year)
    return direct.record_figure(actor, element_code, node, period)


def assert_equal_to_the_records(actor, period: Period) -> None:
    for indicator in custom(actor):
        for parent in ("440300000000", "440305000000", "440305007000"):
            rows = indicator_by_child(
                user=actor, indicator=indicator, region=region(parent), period=period
            )
            top = indicator_value(
                user=actor, indicator=indicator, region=region(parent), period=period
            )
            for one in [top, *rows]:
                if _untouched(one.region.code):
                    continue
                numerator = figure(actor, indicator.numerator_id, one.region, period)
                denominator = None
                if indicator.denominator_id:
                    denominator = figure(actor, indicator.denominator_id, one.region, period)
                key = (indicator.code, one.region.code)
                assert (one.numerator, one.denominator) == (numerator, denominator), key
                assert one.value == ratio(indicator, numerator, denominator), key


def _untouched(code: str) -> bool:
    """Villages where something happens (the rest read like them: zero or no data)."""
    villages = {*ENTRY_REGIONS, *(code for code, _kind in SITE_REGIONS), *VILLAGES}
    return not code.endswith("000") and code not in villages


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_indicators_equal_a_recompute_from_the_records_after_any_sequence(db, sequence):
    clear()
    EnteredValue.objects.all().delete()
    EnteredTotal.objects.all().delete()
    Site.objects.all().delete()
    from wushe.regions import counters

    counters.recount()
    world = Everything(shenzhen_admin())
    world.run([("file", 0, 1, 0), ("file", 2, 6, 1), ("file", 3, 0, 2)])
    world.run(sequence)
    assert totals.check() == []
    kept = sorted(EnteredTotal.objects.values_list("element_id", "region_code", "year", "value"))
    totals.recompute()
    assert (
        sorted(EnteredTotal.objects.values_list("element_id", "region_code", "year", "value"))
        == kept
    )
    period = Period(add_months(this_month(), -16), this_month())
    assert_equal_to_the_records(world.actor, period)
    with pytest.raises(ValidationError):  # and a refused step leaves nothing behind
        entries.entered_value_set(
            actor=world.actor,
            region=region("440305000000"),
            year=2025,
            element=element("households"),
            value=-1,
        )
