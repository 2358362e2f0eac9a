"""Indicator values, the target that applies, and how far a region is from it.

**Value.** numerator ÷ denominator × factor, each element's figure being its region's whole
subtree; no denominator: numerator × factor. A missing numerator, or a denominator that is
missing or zero, gives no value (None, shown "无数据 / no data").

**Which target.** The nearest region in the lineage — the region itself, then its parent, up
to the country — that has a target for the indicator: a province's target applies to every
region below it unless a region in between sets its own. Within that region, the target of
the nearest deadline still ahead (the smallest year ≥ the period's year), else the latest one
past (a target reached by 2022 is still to be held in 2026).

**Status**, for a value and a target (higher is better unless the indicator says lower):

- ``no_data``: no value; ``no_target``: no target applies;
- ``met``: the value has reached the target;
- ``behind``: not met and the deadline has passed (the period ends after the target's year;
  not for accumulating indicators, below);
- ``on_track`` / ``behind`` before the deadline, against the *expected* value of the period:
  - an accumulating indicator (a flow numerator such as home visits, over no denominator or a
    stock one) has a target for a year's total, which holds for every year it applies to (no
    deadline passes): the expected value is the target times the share of the year's months
    the period covers (Jan–Oct: 10/12);
  - any other indicator follows a straight path from its base — ``base_value`` at the end of
    ``base_year``; without them, zero at the end of the year five years before the deadline
    (a five-year plan such as the 14th, 2021–2025, starting from nothing) — to the target at
    the end of its year; the expected value is that path at the end of the period's last
    month. A lower-is-better indicator without a base has no path: it is on track only once
    met.

**Gap**: what is still missing, target − value (value − target when lower is better); zero or
negative when met.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wushe.indicators.choices import Direction, PeriodKind, Status
from wushe.indicators.models import Indicator, Target
from wushe.indicators.periods import Period
from wushe.regions.models import Region

PLAN_YEARS = 5  # the default path starts this many years before the deadline
ZERO = Decimal(0)


@dataclass
class Attainment:
    """One indicator for one region's subtree over one period (see the module docstring)."""

    indicator: Indicator
    region: Region
    period: Period
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    target: Decimal | None = None
    target_year: int | None = None
    target_region_code: str | None = None  # where the target was set (inherited if not ours)
    expected: Decimal | None = None
    gap: Decimal | None = None
    status: str = Status.NO_DATA

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def inherited(self) -> bool:
        """The target was set by a region above this one."""
        return self.target_region_code not in (None, self.region.code)

    @property
    def has_value(self) -> bool:
        return self.value is not None


def ratio(
    indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None
) -> Decimal | None:
    """The indicator's value; None where it has none (never a division by zero)."""
    if numerator is None:
        return None
    if indicator.denominator_id is None:
        return Decimal(numerator) * indicator.factor
    if denominator is None or denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator) * indicator.factor


def choose_target(targets: list[Target], lineage: list[str], year: int) -> Target | None:
    """The target that applies to the region of ``lineage`` (its code first, then each
    ancestor's) in ``year``, from the indicator's ``targets`` of those regions."""
    by_region: dict[str, list[Target]] = {}
    for target in targets:
        by_region.setdefault(target.region_id, []).append(target)
    for code in lineage:
        mine = by_region.get(code)
        if not mine:
            continue
        ahead = [t for t in mine if t.year >= year]
        if ahead:
            return min(ahead, key=lambda t: t.year)
        return max(mine, key=lambda t: t.year)
    return None


def accumulates(indicator: Indicator) -> bool:
    """A total that grows through the year (a flow over no denominator or a stock one)."""
    numerator = indicator.numerator
    denominator = indicator.denominator
    return numerator.period_kind == PeriodKind.FLOW and (
        denominator is None or denominator.period_kind != PeriodKind.FLOW
    )


def expected_value(indicator: Indicator, target: Target, period: Period) -> Decimal | None:
    """Where the value should be by the period's end on the way to ``target``."""
    if accumulates(indicator):  # a yearly total, whichever year it was set for
        covered = sum(1 for month in period.months if month.year == period.end.year)
        return target.value * Decimal(covered) / 12
    if target.base_value is None and indicator.direction == Direction.LOWER:
        return None
    base_year = target.base_year if target.base_year is not None else target.year - PLAN_YEARS
    base_value = target.base_value if target.base_value is not None else ZERO
    start, finish = base_year * 12 + 12, target.year * 12 + 12  # month ends, counted
    now = period.end.year * 12 + period.end.month
    if finish <= start:
        return target.value
    share = min(max(Decimal(now - start) / Decimal(finish - start), ZERO), Decimal(1))
    return base_value + (target.value - base_value) * share


def judge(attainment: Attainment, target: Target | None) -> Attainment:
    """Fill the target, expected value, gap and status of ``attainment``."""
    indicator, value, period = attainment.indicator, attainment.value, attainment.period
    if target is not None:
        attainment.target = target.value
        attainment.target_year = target.year
        attainment.target_region_code = target.region_id
    if value is None:
        attainment.status = Status.NO_DATA
        return attainment
    if target is None:
        attainment.status = Status.NO_TARGET
        return attainment
    higher = indicator.direction != Direction.LOWER
    attainment.gap = target.value - value if higher else value - target.value
    expected = expected_value(indicator, target, period)
    attainment.expected = expected
    if attainment.gap <= 0:
        attainment.status = Status.MET
    elif expected is None or (period.end.year > target.year and not accumulates(indicator)):
        attainment.status = Status.BEHIND
    elif (value >= expected) if higher else (value <= expected):
        attainment.status = Status.ON_TRACK
    else:
        attainment.status = Status.BEHIND
    return attainment
