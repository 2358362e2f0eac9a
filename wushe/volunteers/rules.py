"""The points and star rules that apply in a region: the region's own, the nearest one set above
it, or the defaults (as casework's visit frequencies). Plain values, so the ledger services and
the pages read the same thing; where a rule comes from is named only to a user who may see it.

Points of a service: ``hours × points per hour × the tier's coefficient``, rounded half up to a
whole point, and at most ``cap`` for one activity or one matched task (summed over the entries of
that activity or task). Stars: the number of thresholds the cumulative hours have reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from wushe.regions import codes
from wushe.volunteers.choices import (
    DEFAULT_CAP,
    DEFAULT_COEFFICIENTS,
    DEFAULT_EXPIRY_MONTHS,
    DEFAULT_POINTS_PER_HOUR,
    DEFAULT_STAR_HOURS,
    Tier,
)
from wushe.volunteers.models import PointsRule, StarRule


@dataclass(frozen=True)
class Points:
    """积分规则 in force: ``source`` is the code of the region that set it (None: defaults)."""

    points_per_hour: int
    coefficients: dict[str, Decimal]
    cap: int
    expiry_months: int
    source: str | None = None

    def points_for(self, hours: Decimal, tier: str) -> int:
        raw = Decimal(hours) * self.points_per_hour * self.coefficients[tier]
        return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Stars:
    """星级 thresholds in force (cumulative hours for 1 … 5 stars)."""

    thresholds: tuple[int, ...]
    source: str | None = None

    def stars_for(self, hours: Decimal) -> int:
        return sum(1 for threshold in self.thresholds if hours >= threshold)

    def next_threshold(self, hours: Decimal) -> int | None:
        return next((t for t in self.thresholds if hours < t), None)


DEFAULT_POINTS = Points(
    points_per_hour=DEFAULT_POINTS_PER_HOUR,
    coefficients=dict(DEFAULT_COEFFICIENTS),
    cap=DEFAULT_CAP,
    expiry_months=DEFAULT_EXPIRY_MONTHS,
)
DEFAULT_STARS = Stars(thresholds=DEFAULT_STAR_HOURS)


def points_of(rule: PointsRule) -> Points:
    return Points(
        points_per_hour=rule.points_per_hour,
        coefficients={tier: rule.coefficient(tier) for tier in Tier.values},
        cap=rule.cap,
        expiry_months=rule.expiry_months,
        source=rule.region_id,
    )


def stars_of(rule: StarRule) -> Stars:
    return Stars(thresholds=rule.thresholds, source=rule.region_id)


def _nearest(rules: dict[str, object], code: str):
    return next((rules[node] for node in codes.lineage(code) if node in rules), None)


def points_rule_for(code: str) -> Points:
    """The points rule in force for a region (a volunteer's village, say)."""
    rules = {r.region_id: r for r in PointsRule.objects.filter(region_id__in=codes.lineage(code))}
    rule = _nearest(rules, code)
    return points_of(rule) if rule else DEFAULT_POINTS


def star_rule_for(code: str) -> Stars:
    rules = {r.region_id: r for r in StarRule.objects.filter(region_id__in=codes.lineage(code))}
    rule = _nearest(rules, code)
    return stars_of(rule) if rule else DEFAULT_STARS


class RuleBook:
    """Every rule that can apply to a set of regions, read once (for lists and the expiry run)."""

    def __init__(self, region_codes) -> None:
        chain = {node for code in set(region_codes) for node in codes.lineage(code)}
        self.points = {r.region_id: r for r in PointsRule.objects.filter(region_id__in=chain)}
        self.stars = {r.region_id: r for r in StarRule.objects.filter(region_id__in=chain)}

    def points_for(self, code: str) -> Points:
        rule = _nearest(self.points, code)
        return points_of(rule) if rule else DEFAULT_POINTS

    def stars_for(self, code: str) -> Stars:
        rule = _nearest(self.stars, code)
        return stars_of(rule) if rule else DEFAULT_STARS


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")
