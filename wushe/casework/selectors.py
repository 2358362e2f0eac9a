"""Reading service work: visit frequencies and the overdue-visits list of a station."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max
from django.utils import timezone

from wushe.casework.models import DEFAULT_VISIT_DAYS, HomeVisit, VisitFrequency
from wushe.people.models import Resident, ResidentCategory
from wushe.regions import codes
from wushe.regions.models import Region


@dataclass
class OverdueVisit:
    resident: Resident
    last_visit: date | None
    interval_days: int
    due_on: date

    def days_overdue(self, today: date) -> int:
        return (today - self.due_on).days


def _rules_for(region: Region) -> dict[tuple[str, str], int]:
    """{(region code, category): days} for the region's ancestors, itself and its subtree."""
    chain = [*codes.ancestor_codes(region.code, region.level), region.code]
    rules = VisitFrequency.objects.filter(region_id__in=chain) | VisitFrequency.objects.within(
        region.subtree_range
    )
    return {(r.region_id, r.category): r.interval_days for r in rules}


def _interval(village: str, categories: list[str], rules: dict) -> int | None:
    """The shortest interval any of the resident's categories asks for, each category taking
    the nearest rule up the tree from the village, else the default."""
    nearest = codes.lineage(village)
    intervals = []
    for category in categories:
        for code in nearest:
            if (code, category) in rules:
                intervals.append(rules[(code, category)])
                break
        else:
            if category in DEFAULT_VISIT_DAYS:
                intervals.append(DEFAULT_VISIT_DAYS[category])
    return min(intervals) if intervals else None


def overdue_visits(*, user, region: Region, today: date) -> list[OverdueVisit]:
    """Residents under ``region`` (a station's township, say) whose last visit — or filing,
    if never visited — is older than their category's visit interval, most overdue first."""
    residents = Resident.objects.visible_to(user).within(region.subtree_range)
    filed = ResidentCategory.objects.visible_to(user).within(region.subtree_range)
    categories: dict[int, list[str]] = {}
    for resident_id, category in filed.values_list("resident_id", "category"):
        categories.setdefault(resident_id, []).append(category)
    last = dict(
        HomeVisit.objects.visible_to(user)
        .within(region.subtree_range)
        .values_list("resident_id")
        .annotate(last=Max("visited_on"))
        .order_by()
    )
    rules = _rules_for(region)
    result = []
    for resident in residents.filter(pk__in=filed.values("resident_id")).select_related("region"):
        days = _interval(resident.region_id, categories[resident.pk], rules)
        if days is None:
            continue
        since = last.get(resident.pk) or timezone.localtime(resident.created_at).date()
        due = since + timedelta(days=days)
        if due < today:
            result.append(OverdueVisit(resident, last.get(resident.pk), days, due))
    return sorted(result, key=lambda row: row.due_on)
