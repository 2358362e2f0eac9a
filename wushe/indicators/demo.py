"""Demo indicators for ``wushe demo``: the built-in set with the targets of the loaded
provinces, yearly figures for every township of the county (the last two years) and a county
target of its own — entered through the services, so totals and the audit log are real; and
the current month's month-end snapshot of the stocks (social workers, volunteers, filed
residents), taken last because the other apps' demos file them, so the dashboards' trend
lines have this month's point stored when it ends.

Idempotent: figures already there are left as they are (the services skip an unchanged value
and the seeded generator gives the same values on every run), and the snapshot replaces the
month's earlier one. Random choices come from a seeded generator.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wushe.accounts.models import User
from wushe.indicators import entries, seed, services
from wushe.indicators.models import DataElement, EnteredValue, Indicator
from wushe.regions.codes import Level, normalize_code
from wushe.regions.models import Region

SEED = 20261124
# element → (low, high) per township: a street of 100,000–200,000 people
RANGES = {
    "resident_population": (80_000, 220_000),
    "urban_population": (80_000, 220_000),
    "elderly_60": (6_000, 22_000),
    "households": (30_000, 80_000),
    "care_home_beds": (150, 900),
    "community_service_facilities": (8, 20),
    "facilities_with_volunteer_point": (5, 20),
    "community_facility_area": (9_000, 30_000),
    "community_workers": (120, 420),
    "urban_community_workers": (100, 380),
    "urban_community_workers_certified": (30, 240),
}
PARTS = {
    "urban_population": "resident_population",
    "facilities_with_volunteer_point": "community_service_facilities",
    "urban_community_workers": "community_workers",
    "urban_community_workers_certified": "urban_community_workers",
}


@transaction.atomic
def demo_indicators(*, actor: User, county: Region | str) -> int:
    """Seed the built-in set, enter the county's figures and take this month's snapshot;
    returns the figures entered."""
    if not isinstance(county, Region):
        county = Region.objects.get(code=normalize_code(county))
    seed.seed()
    rng = random.Random(SEED)
    year = timezone.localdate().year - 1
    townships = Region.objects.filter(
        code__gte=county.subtree_range[0], code__lte=county.subtree_range[1], level=Level.TOWNSHIP
    ).order_by("code")
    elements = {one.code: one for one in DataElement.objects.filter(code__in=RANGES)}
    before = EnteredValue.objects.within(county.subtree_range).count()
    for township in townships:
        figures = {code: rng.randrange(low, high) for code, (low, high) in RANGES.items()}
        for part, whole in PARTS.items():  # a part never exceeds its whole
            figures[part] = min(figures[part], figures[whole])
        for code, base in figures.items():
            for offset, growth in ((1, Decimal("0.96")), (0, Decimal(1))):
                entries.entered_value_set(
                    actor=actor,
                    region=township,
                    year=year - offset,
                    element=elements[code],
                    value=(Decimal(base) * growth).quantize(Decimal(1)),
                    note="演示数据",
                )
    coverage = Indicator.objects.get(code="station_coverage")
    entries.target_set(
        actor=actor,
        region=county,
        indicator=coverage,
        year=year + 1,
        value=100,
        source="演示：区级目标",
    )
    after = EnteredValue.objects.within(county.subtree_range).count()
    services.snapshot_month()
    return after - before
