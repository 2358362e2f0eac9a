"""The statistics of a region subtree over whole months, read from the counters.

Every figure of one region is a handful of rows under a unique index (``Tally`` by region,
month and metric; ``FiledCount`` and ``FiledBirthMonth`` by region), so a province answers as
fast as a village. Reads start from ``visible_to(user)`` and a region outside the user's
subtree is a 404, never a figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.people.choices import ELDERLY_AGE, Category
from wushe.people.models import Resident
from wushe.regions.models import Region
from wushe.regions.selectors import region_children
from wushe.statistics.choices import Metric
from wushe.statistics.filed import PERSONS
from wushe.statistics.models import FiledBirthMonth, FiledCount, Tally


@dataclass
class Figures:
    """服务统计 of one region's subtree for the months ``month_from``..``month_to``.

    ``persons`` (建档人数, each person once), ``categories`` (by 困难类别) and ``elderly``
    (高龄, 80 or older today) are the files as they are now; the rest count what was done in
    the period. ``cases_open`` (在案) is the cases opened and not closed by the period's end;
    ``cases_served`` (开展个案) the cases open at some time in the period: those open at its
    start plus those opened in it.
    """

    region: Region
    month_from: date
    month_to: date
    persons: int = 0
    elderly: int = 0
    categories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Category.values, 0))
    visits: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    cases_open: int = 0
    cases_served: int = 0
    case_records: int = 0
    groups: int = 0
    group_sessions: int = 0
    activities: int = 0
    person_times: int = 0

    def category_rows(self) -> list[tuple[str, str, int]]:
        """(key, label, number) of every category, 高龄 after the stored ones."""
        rows = [(value, str(label), self.categories[value]) for value, label in Category.choices]
        return [*rows, ("elderly", _("Elderly aged 80 or over (高龄)"), self.elderly)]


PERIOD_METRICS = (
    Metric.VISITS,
    Metric.CASES_OPENED,
    Metric.CASES_CLOSED,
    Metric.CASE_RECORDS,
    Metric.GROUPS,
    Metric.GROUP_SESSIONS,
    Metric.ACTIVITIES,
    Metric.PERSON_TIMES,
)


def elderly_cutoff(today: date) -> date:
    """The last birth date of someone 80 or older on ``today`` (``Resident.age_on``'s rule:
    born on 29 February, one turns a year older on 1 March of a common year)."""
    try:
        return today.replace(year=today.year - ELDERLY_AGE)
    except ValueError:
        return date(today.year - ELDERLY_AGE, 2, 28)


def _check(user, region: Region, month_from: date, month_to: date) -> None:
    if not user.can_see_code(region.code):
        raise Http404
    if month_from.day != 1 or month_to.day != 1:
        raise ValueError("periods are whole months: pass the first day of each month")
    if month_from > month_to:
        raise ValidationError({"to": _("The period must end in or after the month it starts.")})


def statistics_for(*, user, region: Region, month_from: date, month_to: date) -> Figures:
    """The figures of ``region``'s subtree (a region the user can see, else 404) for the
    months ``month_from``..``month_to`` (first days of months, both included)."""
    return _figures(user, [region], month_from, month_to)[0]


def statistics_by_child(*, user, region: Region, month_from: date, month_to: date) -> list[Figures]:
    """The same figures for each child of ``region`` (the rows of a report), in code order;
    a fixed number of queries, whatever the number of children."""
    _check(user, region, month_from, month_to)
    children = list(region_children(user=user, region=region))
    return _figures(user, children, month_from, month_to) if children else []


def _figures(user, regions: list[Region], month_from: date, month_to: date) -> list[Figures]:
    for region in regions:
        _check(user, region, month_from, month_to)
    found = {r.code: Figures(region=r, month_from=month_from, month_to=month_to) for r in regions}
    codes = list(found)
    _add_tallies(user, found, codes, month_from, month_to)
    _add_files(user, found, codes)
    return list(found.values())


def _add_tallies(user, found: dict, codes: list[str], month_from: date, month_to: date) -> None:
    rows = (
        Tally.objects.visible_to(user)
        .filter(region_code__in=codes, month__lte=month_to)
        .values_list("region_code", "metric")
        .annotate(
            during=Sum("value", filter=Q(month__gte=month_from), default=0),
            before=Sum("value", filter=Q(month__lt=month_from), default=0),
        )
        .order_by()
    )
    earlier: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, metric, during, before in rows:
        if metric in PERIOD_METRICS:
            setattr(found[code], metric, during)
        earlier[code][metric] = before
    for code, figures in found.items():
        opened_before = earlier[code][Metric.CASES_OPENED]
        open_at_start = opened_before - earlier[code][Metric.CASES_CLOSED]
        figures.cases_open = open_at_start + figures.cases_opened - figures.cases_closed
        figures.cases_served = open_at_start + figures.cases_opened


def _add_files(user, found: dict, codes: list[str]) -> None:
    counts = FiledCount.objects.visible_to(user).filter(region_code__in=codes)
    for code, key, value in counts.values_list("region_code", "key", "value"):
        if key == PERSONS:
            found[code].persons = value
        elif key in found[code].categories:
            found[code].categories[key] = value
    cutoff = elderly_cutoff(timezone.localdate())
    cutoff_month = cutoff.replace(day=1)
    births = (
        FiledBirthMonth.objects.visible_to(user)
        .filter(region_code__in=codes, born__lt=cutoff_month)
        .values_list("region_code")
        .annotate(n=Sum("value"))
        .order_by()
    )
    for code, n in births:
        found[code].elderly += n
    # Born in the cut-off month itself: counted from the files, by day (a short range of the
    # (birth_date, region_code) index), and given to the region that holds each village.
    heads = {code: found[code].region.subtree_range for code in codes}
    low, high = min(r[0] for r in heads.values()), max(r[1] for r in heads.values())
    residents = (
        Resident.objects.visible_to(user)
        .filter(region_id__gte=low, region_id__lte=high)
        .filter(birth_date__gte=cutoff_month, birth_date__lte=cutoff)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for village, n in residents:
        for code, (first, last) in heads.items():
            if first <= village <= last:
                found[code].elderly += n
                break
