"""Data elements computed from the records: a registry of functions, one per element code.

``register_element(code, fn)`` makes ``fn(region_codes, period) -> {code: number}`` the
source of element ``code``. A function answers for many regions at once (the children of a
dashboard's region) in one aggregate query, reading the counters the services already keep —
never the records themselves:

- the region rows' subtree counts (``township_count``, ``village_count`` from the loader,
  ``operating_*`` from the site services, see ``regions/counters.py``);
- the statistics tallies, one row per region subtree, month and metric (``Tally``);
- the filed-resident counts per region subtree and key (``FiledCount``).

Every counter row already holds its region's whole subtree (records are added along their
lineage), so a child's figure is its own row: the numerator and the denominator of a region
are each summed over its subtree, never averaged. A code missing from a function's answer has
no value (None, "no data"); the record functions answer every code they are asked, zero where
no counter row exists.

Stock elements (``PeriodKind.STOCK``) are read at the period's end. The counters hold the
present, so a period that ended before the current month is read from the function itself only
when it was registered with ``history=True`` (sites: operating sites that opened by then; fund
balances: their ledger up to then); the others are read from the month-end snapshots
(``snapshots``: 月末数, taken daily, the last run of a month standing as its end), and a month
never snapshotted has no value. A function may give its ``snapshot`` source: every region's
subtree figure now, non-zero ones only, in one pass (``rolled_up`` from the records' own
regions, or ``filed_rows`` copied from counters that already hold subtrees); without one the
snapshot asks ``compute`` region by region down the tree. Flow elements sum the period's months.

The callers (``selectors``) check that the user may see every region asked for; these
functions only compute.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth

from wushe.indicators.periods import Period
from wushe.people.choices import Category
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import lineage
from wushe.regions.models import Region, Site
from wushe.statistics.choices import Metric
from wushe.statistics.filed import PERSONS
from wushe.statistics.models import FiledCount, Tally

Number = int | Decimal
Compute = Callable[[list[str], Period], dict[str, Number]]
# (codes, period) -> {(code, first day of month): number}: a trend in one query (a flow summed
# in each month, a stock with history at each month's end)
Monthly = Callable[[list[str], Period], dict[tuple[str, date], Number]]
# () -> (region code, subtree figure now) of every region whose figure is not zero: rows, or a
# queryset of ``values_list(code, value)`` that the snapshot copies inside the database
Rows = Iterable[tuple[str, Number]] | QuerySet
Snapshot = Callable[[], Rows]


class Unavailable(Exception):
    """The app that holds an element's records is not installed (yet): no value."""


@dataclass(frozen=True)
class ElementFunction:
    code: str
    compute: Compute
    history: bool = False  # answers periods that ended before the current month
    monthly: Monthly | None = None
    snapshot: Snapshot | None = None  # every region's figure now, for the month-end snapshot


_REGISTRY: dict[str, ElementFunction] = {}


def register_element(
    code: str,
    fn: Compute,
    *,
    history: bool = False,
    monthly: Monthly | None = None,
    snapshot: Snapshot | None = None,
) -> None:
    """Make ``fn`` the source of record element ``code`` (last registration wins, so an app
    may replace a fallback with its own selector from its ``ready()``). A stock without
    ``history`` is read from month-end snapshots for past periods; ``snapshot`` gives them in
    one pass (see the module docstring)."""
    _REGISTRY[code] = ElementFunction(code, fn, history, monthly, snapshot)


def element_function(code: str) -> ElementFunction | None:
    return _REGISTRY.get(code)


def registered_codes() -> list[str]:
    return sorted(_REGISTRY)


def significant_prefix(code: str) -> str:
    """The code's prefix that spells its subtree (the 2/4/6/9/12 digits before the padding):
    what ``codes.lineage`` pads, so it needs no level."""
    for length, tail in ((12, 9), (9, 6), (6, 4), (4, 2), (2, 0)):
        if code[tail:length].strip("0"):
            return code[:length]
    return ""


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# The region rows' counts ---------------------------------------------------------------------


def region_field(field: str) -> Compute:
    def compute(codes: list[str], period: Period) -> dict[str, Number]:
        rows = Region.objects.filter(code__in=codes).values_list("code", field).order_by()
        return dict(rows)

    return compute


def region_field_by_month(field: str) -> Monthly:
    """The same count at every month's end, read once: the tree changes with a new edition of
    the division codes, not from month to month (a trend of twelve months is one query)."""
    current = region_field(field)

    def monthly(codes: list[str], period: Period) -> dict[tuple[str, date], Number]:
        found = current(codes, period)
        return {(code, month): n for code, n in found.items() for month in period.months}

    return monthly


def grouped(queryset, code_field: str, codes: list[str], measure) -> dict[str, Number]:
    """``measure`` (an aggregate) of ``queryset``'s rows under each code's subtree, grouped by
    the code prefix in SQL: one query per prefix length (the children of one region share
    theirs), whatever the number of codes. Codes without rows get 0."""
    found: dict[str, Number] = dict.fromkeys(codes, 0)
    by_length: dict[int, dict[str, str]] = {}
    for code in codes:
        head = significant_prefix(code)
        by_length.setdefault(len(head), {})[head] = code
    for length, heads in by_length.items():
        if not length:  # the country: everything
            found[heads[""]] = queryset.aggregate(n=measure)["n"] or 0
            continue
        low, high = min(heads).ljust(12, "0"), max(heads).ljust(12, "9")
        rows = (
            queryset.filter(**{f"{code_field}__gte": low, f"{code_field}__lte": high})
            .annotate(head=Substr(code_field, 1, length))
            .values_list("head")
            .annotate(n=measure)
            .order_by()
        )
        for head, n in rows:
            if head in heads:
                found[heads[head]] = n or 0
    return found


def operating_sites(kind: str, field: str) -> Compute:
    """Operating sites of ``kind``: the region rows' counter for the present; before it, the
    sites operating now that had opened by the period's end (one without an opening date
    counts as always open; a site closed since is not counted in the past — the records keep
    no closing date)."""
    current = region_field(field)

    def compute(codes: list[str], period: Period) -> dict[str, Number]:
        if period.is_current:
            return current(codes, period)
        sites = Site.objects.filter(kind=kind, status=SiteStatus.OPERATING).filter(
            Q(opened_on__isnull=True) | Q(opened_on__lte=last_day(period.end))
        )
        return grouped(sites, "region_id", codes, Count("id"))

    return compute


def operating_sites_by_month(kind: str) -> Monthly:
    """The same history for each month of a period, in one query per code: the sites grouped
    by the month they opened, summed month after month."""

    def monthly(codes: list[str], period: Period) -> dict[tuple[str, date], Number]:
        found: dict[tuple[str, date], Number] = {}
        for code in codes:
            head = significant_prefix(code)
            sites = Site.objects.filter(kind=kind, status=SiteStatus.OPERATING)
            if head:
                low, high = head.ljust(12, "0"), head.ljust(12, "9")
                sites = sites.filter(region_id__gte=low, region_id__lte=high)
            rows = (
                sites.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=last_day(period.end)))
                .annotate(month=TruncMonth("opened_on"))
                .values_list("month")
                .annotate(n=Count("id"))
                .order_by()
            )
            opened = {_as_date(month): n for month, n in rows}
            running = sum(n for month, n in opened.items() if month is None or month < period.start)
            for month in period.months:
                running += opened.get(month, 0)
                found[(code, month)] = running
        return found

    return monthly


def _as_date(value) -> date | None:
    """TruncMonth of a date column: a date on PostgreSQL, a datetime or text elsewhere."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date()


def rolled_up(own: Iterable[tuple[str, Number]]) -> dict[str, Number]:
    """Subtree figures from figures at the records' own regions (a village's volunteers, a
    site's workers): each adds to every node of its code's ``lineage`` — exactly the regions
    whose prefix ``grouped`` would find it under. Zeros are left out."""
    found: dict[str, Number] = {}
    for code, value in own:
        if value:
            for node in lineage(code):
                found[node] = found.get(node, 0) + value
    return {code: value for code, value in found.items() if value}


# The statistics tallies ----------------------------------------------------------------------


def tallied(metric: str) -> Compute:
    def compute(codes: list[str], period: Period) -> dict[str, Number]:
        rows = (
            Tally.objects.filter(
                region_code__in=codes, metric=metric, month__gte=period.start, month__lte=period.end
            )
            .values_list("region_code")
            .annotate(n=Sum("value"))
            .order_by()
        )
        return {**dict.fromkeys(codes, 0), **dict(rows)}

    return compute


def tallied_by_month(metric: str) -> Monthly:
    def monthly(codes: list[str], period: Period) -> dict[tuple[str, date], Number]:
        rows = Tally.objects.filter(
            region_code__in=codes, metric=metric, month__gte=period.start, month__lte=period.end
        ).values_list("region_code", "month", "value")
        return {(code, month): value for code, month, value in rows}

    return monthly


# The filed residents -------------------------------------------------------------------------


def filed(key: str) -> Compute:
    def compute(codes: list[str], period: Period) -> dict[str, Number]:
        rows = FiledCount.objects.filter(region_code__in=codes, key=key).values_list(
            "region_code", "value"
        )
        return {**dict.fromkeys(codes, 0), **dict(rows)}

    return compute


def filed_rows(key: str) -> Snapshot:
    """The filed counters hold subtrees already: their non-zero rows are the snapshot."""

    def rows() -> QuerySet:
        found = FiledCount.objects.filter(key=key).exclude(value=0)
        return found.values_list("region_code", "value").order_by()

    return rows


# Elements of apps that may not be installed --------------------------------------------------


def optional(module: str, name: str, adapt: Callable[[Callable, list[str], Period], dict]):
    """A function that calls ``module.name`` through ``adapt`` when it exists, and raises
    :class:`Unavailable` (no value) while that app has not landed."""

    def compute(codes: list[str], period: Period) -> dict[str, Number]:
        import importlib

        try:
            selector = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as error:
            raise Unavailable(f"{module}.{name}") from error
        return adapt(selector, codes, period)

    return compute


def register_builtin() -> None:
    """The record elements wushe ships (``apps.IndicatorsConfig.ready``)."""
    for code, field in (("townships", "township_count"), ("villages", "village_count")):
        register_element(  # the tree rarely changes
            code, region_field(field), history=True, monthly=region_field_by_month(field)
        )
    for code, kind, field in (
        ("stations_operating", SiteKind.STATION, "operating_stations"),
        ("rooms_operating", SiteKind.ROOM, "operating_rooms"),
        ("centres_operating", SiteKind.CENTRE, "operating_centres"),
    ):
        register_element(
            code,
            operating_sites(kind, field),
            history=True,
            monthly=operating_sites_by_month(kind),
        )
    for metric in Metric.values:
        register_element(metric, tallied(metric), monthly=tallied_by_month(metric))
    register_element("residents_filed", filed(PERSONS), snapshot=filed_rows(PERSONS))
    for category in Category.values:
        register_element(f"residents_{category}", filed(category), snapshot=filed_rows(category))
    from wushe.indicators import five_forces

    five_forces.register()
