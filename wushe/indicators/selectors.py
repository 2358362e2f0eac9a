"""Reading indicators: values with their targets and status, for dashboards, reports and pages.

THE SELECTOR API (what the dashboards and the monthly report build on). Every function takes
the requesting ``user`` and answers 404 (``Http404``) for a region outside the user's subtree
or an indicator the user cannot see; it never returns a figure from outside.

``Period`` (``wushe.indicators.periods``): whole months ``start``..``end``;
``Period.parse("2025" | "2025-10" | "2025-01..2025-06")``, ``Period.of_year(2025)``,
``Period.of_month(date)``, ``Period.current()`` (this year to date).

``Attainment`` (``wushe.indicators.attainment``), one indicator for one region and period:
``indicator``, ``region``, ``period``, ``numerator``, ``denominator``, ``value`` (Decimal or
None = "无数据 / no data"), ``target``, ``target_year``, ``target_region_code`` (``inherited``
when set above the region), ``expected`` (where the path to the target says the value should
be by now), ``gap`` (target − value; > 0 is a shortfall, reversed when lower is better),
``status`` (``choices.Status``: met / on_track / behind / no_data / no_target) and
``status_label``.

- ``indicator_value(*, user, indicator, region, period) -> Attainment``
- ``indicator_by_child(*, user, indicator, region, period) -> list[Attainment]``: one per child
  region in code order (the ranking chart, the heat grid, the report's rows); a fixed number
  of queries whatever the number of children — one per data element, one for the targets.
- ``indicator_trend(*, user, indicator, region, period, cumulative=False) -> list[Attainment]``:
  one per month of ``period``, each for that month alone (a flow summed over the month, a
  stock at its end); ``cumulative=True`` sums flows from January of each point's year (or from
  the trend's start) instead, as a year-to-date line.
- ``indicator_with_children(*, user, indicator, region, period) -> tuple[Attainment,
  list[Attainment]]``: both of the above in one query per element (a dashboard's chart and
  its total together).
- ``indicator_values(*, user, indicators, region, period) -> list[Attainment]``: several
  indicators for one region in a fixed number of queries (one per record element, one for the
  entered ones, one for the targets); ``kpis(*, user, region, period)``: the built-in plan
  indicators that way, in their order (the KPI tiles).
- ``indicator_list(*, user)``, ``element_list(*, user)``: the definitions the user can read
  (those of the national set, of the user's own region and its ancestors, and of any region in
  the user's subtree); ``indicator_for(*, user, code)``, ``element_for(*, user, code)``.
- ``entered_value_list(*, user)``, ``target_list(*, user)``: scoped querysets.

Values come from the counters (``elements``) and the entered totals (``totals``): each child's
figure is its own counter row, which already holds its subtree, so a region sums numerators
and denominators over its subtree separately and divides once. A stock that the counters hold
for the present only (social workers, volunteers, filed residents) is read, for a period that
ended before the current month, from the month-end snapshot of the period's last month
(``snapshots``): 0 where that month's snapshot has no row, no data when the month was never
taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from wushe.indicators import elements, snapshots, totals
from wushe.indicators.attainment import Attainment, choose_target, judge, ratio
from wushe.indicators.choices import PeriodKind
from wushe.indicators.models import DataElement, EnteredValue, Indicator, Target
from wushe.indicators.periods import Period, this_month
from wushe.regions import codes
from wushe.regions.models import Region
from wushe.regions.selectors import region_children

Values = dict[str, Decimal]


# Definitions -----------------------------------------------------------------------------------


def _definitions(user) -> Q | None:
    if not user.is_authenticated or not user.region_id or getattr(user, "is_volunteer", False):
        return None
    low, high = user.scope_range
    return Q(region_code__in=codes.lineage(user.region_id)) | Q(
        region_code__gte=low, region_code__lte=high
    )


def indicator_list(*, user) -> QuerySet[Indicator]:
    visible = _definitions(user)
    if visible is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(visible).select_related("numerator", "denominator")


def element_list(*, user) -> QuerySet[DataElement]:
    visible = _definitions(user)
    return DataElement.objects.none() if visible is None else DataElement.objects.filter(visible)


def indicator_for(*, user, code: str) -> Indicator:
    found = list(indicator_list(user=user).filter(code=str(code)[:40]).order_by()[:1])
    if not found:
        raise Http404
    return found[0]


def element_for(*, user, code: str) -> DataElement:
    found = element_list(user=user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def entered_value_list(*, user) -> QuerySet[EnteredValue]:
    return EnteredValue.objects.visible_to(user).select_related("region", "element", "entered_by")


def target_list(*, user) -> QuerySet[Target]:
    return Target.objects.visible_to(user).select_related("region", "indicator", "set_by")


# Values ----------------------------------------------------------------------------------------


class _Cache:
    """Element figures already read in one call (KPIs share elements between indicators)."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, Period, tuple[str, ...]], Values] = {}

    def get(self, element: DataElement, region_codes: list[str], period: Period) -> Values:
        key = (element.code, period, tuple(region_codes))
        if key not in self.values:
            self.values[key] = element_values(element, region_codes, period)
        return self.values[key]

    def prefetch_entered(
        self, found: Iterable[DataElement | None], region_codes: list[str], period: Period
    ) -> None:
        """Read the entered elements among ``found`` in one query (the KPIs use a dozen)."""
        key = (period, tuple(region_codes))
        wanted = sorted(
            {one.code for one in found if one is not None and one.is_entered}
            - {code for code, *rest in self.values if tuple(rest) == key}
        )
        if not wanted:
            return
        read = totals.read_many(wanted, region_codes, period.year)
        for code in wanted:
            self.values[(code, *key)] = read.get(code, {})


def element_values(element: DataElement, region_codes: list[str], period: Period) -> Values:
    """Each region's figure of ``element`` for ``period``; a region without one is left out.
    (Not scoped: the public selectors check the regions first.)"""
    if element.is_entered:
        return totals.read(element.code, region_codes, period.year)
    function = elements.element_function(element.code)
    if function is None:
        return {}
    if element.period_kind == PeriodKind.STOCK and not period.is_current and not function.history:
        # The counters hold the present: an ended period reads its last month's snapshot.
        return snapshots.read(element.code, region_codes, period.end) or {}
    try:
        found = function.compute(region_codes, period)
    except elements.Unavailable:
        return {}
    return {code: Decimal(value) for code, value in found.items() if value is not None}


def _check(user, region: Region, indicator: Indicator | None = None) -> None:
    if not user.can_see_code(region.code):
        raise Http404
    if indicator is not None and not _readable(user, indicator.region_code):
        raise Http404


def _readable(user, definition_code: str) -> bool:
    """``indicator_list``'s rule, without a query: defined in the user's lineage or subtree."""
    if not user.region_id or getattr(user, "is_volunteer", False):
        return False
    return definition_code in codes.lineage(user.region_id) or user.can_see_code(definition_code)


def _targets(indicator: Indicator, regions: Iterable[Region]) -> list[Target]:
    wanted = {node for region in regions for node in codes.lineage(region.code)}
    # A target set above the user's region applies to it: read on purpose, unscoped.
    found = Target.objects.filter(indicator=indicator, region_id__in=sorted(wanted))
    return list(found.order_by())  # no join for the list's ordering: the choice sorts


def _targets_of(indicators: list[Indicator], region: Region) -> dict[int, list[Target]]:
    """``_targets`` of several indicators for one region, in one query."""
    lineage = codes.lineage(region.code)
    found: dict[int, list[Target]] = {one.pk: [] for one in indicators}
    rows = Target.objects.filter(indicator__in=list(found), region_id__in=lineage).order_by()
    for target in rows:
        found[target.indicator_id].append(target)
    return found


def _attainments(
    indicator: Indicator,
    regions: list[Region],
    period: Period,
    cache: _Cache,
    targets: list[Target] | None = None,
) -> list[Attainment]:
    if not regions:
        return []
    region_codes = [region.code for region in regions]
    cache.prefetch_entered([indicator.numerator, indicator.denominator], region_codes, period)
    numerators = cache.get(indicator.numerator, region_codes, period)
    denominators: Values = {}
    if indicator.denominator_id:
        denominators = cache.get(indicator.denominator, region_codes, period)
    if targets is None:
        targets = _targets(indicator, regions)
    found = []
    for region in regions:
        numerator = numerators.get(region.code)
        denominator = denominators.get(region.code)
        attainment = Attainment(
            indicator=indicator,
            region=region,
            period=period,
            numerator=numerator,
            denominator=denominator,
            value=ratio(indicator, numerator, denominator),
        )
        target = choose_target(targets, codes.lineage(region.code), period.year)
        found.append(judge(attainment, target))
    return found


def indicator_value(*, user, indicator: Indicator, region: Region, period: Period) -> Attainment:
    """The indicator for ``region``'s subtree over ``period``, against its target."""
    _check(user, region, indicator)
    return _attainments(indicator, [region], period, _Cache())[0]


def indicator_by_child(
    *, user, indicator: Indicator, region: Region, period: Period
) -> list[Attainment]:
    """The indicator for each child of ``region`` (code order)."""
    _check(user, region, indicator)
    children = list(region_children(user=user, region=region))
    return _attainments(indicator, children, period, _Cache())


def indicator_with_children(
    *, user, indicator: Indicator, region: Region, period: Period
) -> tuple[Attainment, list[Attainment]]:
    """``indicator_value`` and ``indicator_by_child`` at once, in one query per element (what
    a dashboard or a report row asks together)."""
    _check(user, region, indicator)
    children = list(region_children(user=user, region=region))
    found = _attainments(indicator, [region, *children], period, _Cache())
    return found[0], found[1:]


def indicator_values(
    *, user, indicators: list[Indicator], region: Region, period: Period
) -> list[Attainment]:
    """Several indicators for one region, in the order given: one query per record element,
    one for all the entered elements, one for all the targets."""
    _check(user, region)
    for one in indicators:
        _check(user, region, one)
    cache = _Cache()
    used = [element for one in indicators for element in (one.numerator, one.denominator)]
    cache.prefetch_entered(used, [region.code], period)
    targets = _targets_of(indicators, region)
    return [_attainments(one, [region], period, cache, targets[one.pk])[0] for one in indicators]


def kpis(*, user, region: Region, period: Period) -> list[Attainment]:
    """The built-in plan indicators for ``region``, in their order."""
    _check(user, region)
    built_in = indicator_list(user=user).filter(built_in=True).order_by("position", "code")
    return indicator_values(user=user, indicators=list(built_in), region=region, period=period)


# Trends ----------------------------------------------------------------------------------------


def indicator_trend(
    *, user, indicator: Indicator, region: Region, period: Period, cumulative: bool = False
) -> list[Attainment]:
    """One point per month of ``period`` (see the module docstring)."""
    _check(user, region, indicator)
    monthly = {
        "numerator": _monthly(indicator.numerator, region.code, period, cumulative),
    }
    if indicator.denominator_id:
        monthly["denominator"] = _monthly(indicator.denominator, region.code, period, cumulative)
    targets = _targets(indicator, [region])
    lineage = codes.lineage(region.code)
    points = []
    for month in period.months:
        numerator = monthly["numerator"].get(month)
        denominator = monthly.get("denominator", {}).get(month)
        point_period = _point_period(period, month, cumulative)
        attainment = Attainment(
            indicator=indicator,
            region=region,
            period=point_period,
            numerator=numerator,
            denominator=denominator,
            value=ratio(indicator, numerator, denominator),
        )
        points.append(judge(attainment, choose_target(targets, lineage, month.year)))
    return points


def _point_period(period: Period, month: date, cumulative: bool) -> Period:
    if not cumulative:
        return Period.of_month(month)
    return Period(max(period.start, date(month.year, 1, 1)), month)


def _monthly(
    element: DataElement, code: str, period: Period, cumulative: bool
) -> dict[date, Decimal]:
    """The element's figure for each month of ``period``, or each month's year to date."""
    function = elements.element_function(element.code)
    found: dict[date, Decimal] = {}
    stock = element.period_kind == PeriodKind.STOCK
    if stock and function and function.monthly and not element.is_entered:
        # A stock with history, month by month in one query (each month's end).
        try:
            by_month = function.monthly([code], period)
        except elements.Unavailable:
            return {}
        return {month: Decimal(value) for (_code, month), value in by_month.items()}
    if not stock and function and function.monthly:
        try:
            by_month = function.monthly([code], period)
        except elements.Unavailable:
            return {}
        running, year = Decimal(0), None
        for month in period.months:
            value = Decimal(by_month.get((code, month), 0))
            if cumulative:
                running = (running if year == month.year else Decimal(0)) + value
                year, value = month.year, running
            found[month] = value
        return found
    cache = _Cache()
    months = period.months
    if stock and function and not function.history and not element.is_entered:
        # The months that have ended from their snapshots in two queries; the present live.
        ended = [month for month in months if month < this_month()]
        found.update(snapshots.read_months(element.code, code, ended))
        months = [month for month in months if month not in ended]
    for month in months:
        point = _point_period(period, month, cumulative)
        if stock:
            point = Period.of_month(month)  # a stock is read at the month's end
        if element.is_entered:
            point = Period.of_year(month.year)  # one read per year, through the cache
        value = cache.get(element, [code], point).get(code)
        if value is not None:
            found[month] = value
    return found
