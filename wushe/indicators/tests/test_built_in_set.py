"""The built-in plan set against the issue's own list: each indicator's formula, each province's
target (region, year, figure) and a source for every one; Hubei's social workers per 10,000
urban residents computed from the workers app's social workers; and the migration that turns
an older database's community-workers row into it, keeping its targets."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from wushe.indicators import seed
from wushe.indicators.models import Indicator, Target
from wushe.indicators.periods import Period
from wushe.indicators.selectors import indicator_value
from wushe.indicators.tests.helpers import NANSHAN, enter, indicator, region
from wushe.regions.codes import ROOT_CODE, Level
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

GUANGDONG, GUANGXI, HENAN, GUIZHOU, HUBEI = "44", "45", "41", "52", "42"
PROVINCES = {GUANGXI: "广西壮族自治区", HENAN: "河南省", GUIZHOU: "贵州省", HUBEI: "湖北省"}
SHORT = {GUANGDONG: "广东", GUANGXI: "广西", HENAN: "河南", GUIZHOU: "贵州", HUBEI: "湖北"}

# The issue, transcribed: "station coverage of townships 100% (Guangdong by end of 2022;
# Guangxi, Henan, Guizhou by end of 2025); social workers per 10,000 urban residents 18 and
# certified share of urban community workers 50% (Hubei 2025); one social worker per 1,000
# elderly and per 100 care-home beds (Henan 2025); volunteer service points in 80% of
# community service facilities (Guangxi 2025); community service facility area per 100
# households 32 m² (Guangdong) and 30 m² (Hubei); social work professionals 50,000 (Guangxi,
# Henan) and 80,000 (Hubei); certified 20,000 (Henan)."
ISSUE_TARGETS = {
    ("station_coverage", GUANGDONG): (2022, 100),
    ("station_coverage", GUANGXI): (2025, 100),
    ("station_coverage", HENAN): (2025, 100),
    ("station_coverage", GUIZHOU): (2025, 100),
    ("social_workers_per_10k_urban", HUBEI): (2025, 18),
    ("urban_community_workers_certified_share", HUBEI): (2025, 50),
    ("social_workers_per_1000_elderly", HENAN): (2025, 1),
    ("social_workers_per_100_beds", HENAN): (2025, 1),
    ("volunteer_point_share", GUANGXI): (2025, 80),
    ("facility_area_per_100_households", GUANGDONG): (2025, 32),
    ("facility_area_per_100_households", HUBEI): (2025, 30),
    ("social_work_professionals", GUANGXI): (2025, 50_000),
    ("social_work_professionals", HENAN): (2025, 50_000),
    ("social_work_professionals", HUBEI): (2025, 80_000),
    ("social_work_professionals_certified", HENAN): (2025, 20_000),
}
ISSUE_FORMULAS = {
    "station_coverage": "stations_operating / townships × 100",
    "social_workers_per_10k_urban": "social_workers / urban_population × 10000",
    "urban_community_workers_certified_share": (
        "urban_community_workers_certified / urban_community_workers × 100"
    ),
    "social_workers_per_1000_elderly": "social_workers / elderly_60 × 1000",
    "social_workers_per_100_beds": "social_workers / care_home_beds × 100",
    "volunteer_point_share": "facilities_with_volunteer_point / community_service_facilities × 100",
    "facility_area_per_100_households": "community_facility_area / households × 100",
    "social_work_professionals": "social_work_professionals",
    "social_work_professionals_certified": "social_work_professionals_certified",
}


@pytest.fixture
def provinces():
    """The four provinces the test database does not load (广东 is loaded)."""
    for head, name in PROVINCES.items():
        Region.objects.get_or_create(
            code=head.ljust(12, "0"),
            defaults={"name": name, "level": Level.PROVINCE, "parent_id": ROOT_CODE},
        )


def test_every_plan_indicator_of_the_issue_is_built_in_with_its_formula_and_source():
    for code, formula in ISSUE_FORMULAS.items():
        found = indicator(code)
        assert found.built_in and found.formula == formula, code
        provinces = {head for (one, head) in ISSUE_TARGETS if one == code}
        assert all(SHORT[head] in found.source for head in provinces), (code, found.source)
    assert indicator("social_workers_per_10k_urban").numerator.source == "records"
    assert indicator("social_workers_per_10k_urban").denominator.source == "entered"
    assert not Indicator.objects.filter(code=seed.FORMER_COMMUNITY_WORKERS_PER_10K).exists()


def test_every_target_of_the_issue_is_seeded_with_its_year_figure_and_source(provinces):
    done = seed.seed_targets()
    assert done.skipped_targets == 0
    seeded = {
        (target.indicator.code, target.region_id[:2]): target
        for target in Target.objects.select_related("indicator")
    }
    assert set(seeded) == set(ISSUE_TARGETS)
    for key, (year, value) in ISSUE_TARGETS.items():
        target = seeded[key]
        assert (target.year, target.value) == (year, Decimal(value)), key
        assert target.source and target.source.startswith("《"), key


def test_hubeis_indicator_counts_the_workers_apps_social_workers(nanshan_admin, yuehai_station):
    from wushe.workers.choices import CertificateLevel
    from wushe.workers.tests.sample import make_worker

    make_worker(nanshan_admin, yuehai_station, 1)
    make_worker(nanshan_admin, yuehai_station, 2, certificate_level=CertificateLevel.NONE)
    now = Period.current()
    enter(nanshan_admin, NANSHAN, "urban_population", 8000, year=now.year)
    enter(nanshan_admin, NANSHAN, "community_workers", 999, year=now.year)  # not counted
    found = indicator_value(
        user=nanshan_admin,
        indicator=indicator("social_workers_per_10k_urban"),
        region=region(NANSHAN),
        period=now,
    )
    assert (found.numerator, found.denominator) == (2, 8000)
    assert found.value == Decimal("2.5")  # 2 ÷ 8,000 × 10,000


def test_the_migration_turns_the_community_workers_row_into_it_keeping_its_targets(
    provinces,
):
    migration = importlib.import_module(
        "wushe.indicators.migrations.0003_hubei_social_workers_per_10k"
    )
    seed.seed_targets()
    migration.backwards(apps, None)  # a database as seeded before
    old = Indicator.objects.get(code=seed.FORMER_COMMUNITY_WORKERS_PER_10K)
    assert old.numerator_id == "community_workers"
    target = Target.objects.get(indicator=old)
    migration.forwards(apps, None)
    converted = indicator("social_workers_per_10k_urban")
    assert converted.pk == old.pk and converted.formula == ISSUE_FORMULAS[converted.code]
    assert "社区工作者" in converted.source  # the newspaper's wording, noted
    assert Target.objects.get(pk=target.pk).indicator_id == converted.pk
    migration.forwards(apps, None)  # again: nothing to convert
    assert Indicator.objects.filter(built_in=True).count() == len(seed.INDICATORS)
