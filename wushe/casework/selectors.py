"""Reading service work: visits, cases, visit frequencies and the overdue-visits list of a
station. Every read starts from ``visible_to(user)`` (the record's own village or its person's
current one in the user's subtree, see ``scoping``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from wushe.casework.models import DEFAULT_VISIT_DAYS, Case, CaseRecord, HomeVisit, VisitFrequency
from wushe.people.choices import Category
from wushe.people.models import Resident, ResidentCategory
from wushe.regions import codes
from wushe.regions.models import Region


def visit_list(*, user) -> QuerySet[HomeVisit]:
    return (
        HomeVisit.objects.visible_to(user)
        .select_related("resident", "resident__region", "recorded_by")
        .prefetch_related("workers")
    )


def case_list(*, user) -> QuerySet[Case]:
    return (
        Case.objects.visible_to(user)
        .select_related("resident", "resident__region", "worker", "signed_off_by")
        .annotate(record_count=Count("records"))
        .order_by(*Case._meta.ordering)  # a GROUP BY drops Meta.ordering
    )


def case_records(*, user, case: Case) -> QuerySet[CaseRecord]:
    return CaseRecord.objects.visible_to(user).filter(case=case).select_related("worker")


@dataclass
class EffectiveRule:
    """The visit frequency that applies to a category in a region: the region's own rule, the
    nearest one above it, or the default (``source`` None)."""

    category: str
    interval_days: int | None
    source: str | None  # the code of the region whose rule applies
    own: VisitFrequency | None  # the rule set on this very region, which may be changed here
    source_region: Region | None = None  # that region, if the user can see it

    @property
    def label(self) -> str:
        return Category(self.category).label

    @property
    def is_default(self) -> bool:
        return self.source is None and self.interval_days is not None


def frequency_rules(*, user, region: Region) -> list[EffectiveRule]:
    """One line per category for ``region``. Rules set above the user's own region apply too
    (a city's rule reaches its stations), so this reads up the tree, not only the subtree;
    the region a rule comes from is named only if the user can see it."""
    chain = codes.lineage(region.code)  # nearest first
    rules = {
        (rule.region_id, rule.category): rule
        for rule in VisitFrequency.objects.filter(region_id__in=chain)
    }
    result = []
    for category in Category.values:
        found = next(
            ((code, rules[(code, category)]) for code in chain if (code, category) in rules), None
        )
        if found:
            code, rule = found
            own = rule if code == region.code else None
            result.append(EffectiveRule(category, rule.interval_days, code, own))
        else:
            result.append(EffectiveRule(category, DEFAULT_VISIT_DAYS.get(category), None, None))
    sources = {line.source for line in result if line.source}
    named = {r.code: r for r in Region.objects.visible_to(user).filter(code__in=sources)}
    for line in result:
        line.source_region = named.get(line.source)
    return result


def frequency_list(*, user) -> QuerySet[VisitFrequency]:
    """Rules set in the user's subtree (those above it apply but are not the user's to list)."""
    return (
        VisitFrequency.objects.visible_to(user)
        .select_related("region")
        .order_by("region_id", "category")
    )


@dataclass
class OverdueVisit:
    resident: Resident
    last_visit: date | None
    interval_days: int
    due_on: date
    categories: list[str] = field(default_factory=list)
    overdue_by: int = 0  # days, as of the day the list was made

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in sorted(self.categories)]

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
    # Every visit of these residents counts, wherever it was made: a person who moved here
    # and was visited last month at the old address is not overdue (their history followed).
    last = dict(
        HomeVisit.objects.filter(resident_id__in=residents.values("pk"))
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
            row = OverdueVisit(resident, last.get(resident.pk), days, due, categories[resident.pk])
            row.overdue_by = row.days_overdue(today)
            result.append(row)
    return sorted(result, key=lambda row: row.due_on)
