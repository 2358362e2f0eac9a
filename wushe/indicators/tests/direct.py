"""Data element figures computed straight from the records and the entries, sharing no code
with the counters and totals they check: sites and regions counted in the subtree's code range,
service work through ``statistics.direct`` (its own record-by-record counts), and entered
figures by walking the region rows' parent links."""

from __future__ import annotations

from decimal import Decimal

from wushe.indicators.models import EnteredValue
from wushe.indicators.periods import Period
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site
from wushe.statistics.direct import counted_from_records

SITES = {
    "stations_operating": SiteKind.STATION,
    "rooms_operating": SiteKind.ROOM,
    "centres_operating": SiteKind.CENTRE,
}
LEVELS = {"townships": Level.TOWNSHIP, "villages": Level.VILLAGE}
FIGURES = {
    "visits",
    "cases_opened",
    "cases_closed",
    "case_records",
    "groups",
    "group_sessions",
    "activities",
    "person_times",
}


def record_figure(user, code: str, region: Region, period: Period) -> Decimal:
    """A record element's figure for ``region``'s subtree now (stocks) or over ``period``."""
    low, high = region.subtree_range
    if code in SITES:
        sites = Site.objects.filter(kind=SITES[code], status=SiteStatus.OPERATING)
        return Decimal(sites.filter(region_id__gte=low, region_id__lte=high).count())
    if code in LEVELS:
        below = Region.objects.filter(code__gte=low, code__lte=high, level=LEVELS[code])
        return Decimal(below.count())
    figures = counted_from_records(
        user=user, region=region, month_from=period.start, month_to=period.end
    )
    if code in FIGURES:
        return Decimal(getattr(figures, code))
    if code == "residents_filed":
        return Decimal(figures.persons)
    return Decimal(figures.categories[code.removeprefix("residents_")])


def entered_figure(code: str, region: Region, year: int) -> Decimal | None:
    """The region's own entry, else the sum of its children's figures, of the latest year up
    to ``year`` for which the region has one."""
    years = sorted(
        set(
            EnteredValue.objects.filter(element_id=code, year__lte=year).values_list(
                "year", flat=True
            )
        ),
        reverse=True,
    )
    for one in years:
        entered = dict(
            EnteredValue.objects.filter(element_id=code, year=one).values_list("region_id", "value")
        )
        found = _walk(entered, region)
        if found is not None:
            return found
    return None


def _walk(entered: dict[str, Decimal], region: Region) -> Decimal | None:
    if region.code in entered:
        return entered[region.code]
    low, high = region.subtree_range
    if not any(low <= code <= high for code in entered):
        return None  # nothing entered below: no need to visit every village
    parts = [_walk(entered, child) for child in Region.objects.filter(parent=region)]
    parts = [part for part in parts if part is not None]
    return sum(parts, Decimal(0)) if parts else None
