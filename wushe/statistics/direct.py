"""The same figures counted straight from the records, without the counters.

What the counters save: the benchmark times this against ``statistics_for`` on ten million
records, and the tests compare the two. It follows the definitions in ``recompute`` record by
record (range filters on the code columns, date filters on each record's own date), so it
shares no code with the counters it checks.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from wushe.activities.models import Activity
from wushe.casework.models import Case, CaseRecord, HomeVisit
from wushe.groups.models import Group, GroupSession
from wushe.people.choices import Category
from wushe.people.models import Resident, ResidentCategory
from wushe.regions.models import Region
from wushe.statistics.selectors import Figures, elderly_cutoff


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def counted_from_records(*, user, region: Region, month_from: date, month_to: date) -> Figures:
    """``statistics_for``'s figures, counted from the records of the user's visible subtree."""
    if not user.can_see_code(region.code):
        raise Http404
    figures = Figures(region=region, month_from=month_from, month_to=month_to)
    span = region.subtree_range
    end = _next_month(month_to)  # the period's dates are < end

    def rows(model):
        # The region's own range, inside the user's subtree (checked above): casework's
        # visible_to would add the records of people who moved in, which statistics do not
        # count (a record counts where it was done).
        return model.objects.within(span)

    def dated(model, day: str):
        return rows(model).filter(**{f"{day}__gte": month_from, f"{day}__lt": end}).count()

    figures.visits = dated(HomeVisit, "visited_on")
    figures.case_records = dated(CaseRecord, "served_on")
    figures.groups = dated(Group, "started_on")
    figures.group_sessions = dated(GroupSession, "held_on")
    figures.activities = dated(Activity, "held_on")
    cases = rows(Case).aggregate(
        opened=Count("id", filter=Q(opened_on__gte=month_from, opened_on__lt=end)),
        closed=Count("id", filter=Q(closed_on__gte=month_from, closed_on__lt=end)),
        open=Count("id", filter=Q(opened_on__lt=end) & ~Q(closed_on__lt=end)),
        served=Count("id", filter=Q(opened_on__lt=end) & ~Q(closed_on__lt=month_from)),
    )
    figures.cases_opened, figures.cases_closed = cases["opened"], cases["closed"]
    figures.cases_open, figures.cases_served = cases["open"], cases["served"]
    sessions = rows(GroupSession).filter(held_on__gte=month_from, held_on__lt=end)
    activities = rows(Activity).filter(held_on__gte=month_from, held_on__lt=end)
    figures.person_times = (
        figures.visits
        + figures.case_records
        + GroupSession.attendees.through.objects.filter(groupsession__in=sessions).count()
        + Activity.participants.through.objects.filter(activity__in=activities).count()
        + (activities.aggregate(n=Sum("anonymous_count", default=0))["n"])
    )
    residents = rows(Resident)
    figures.persons = residents.count()
    figures.elderly = residents.filter(birth_date__lte=elderly_cutoff(timezone.localdate())).count()
    by_category = (
        ResidentCategory.objects.filter(resident__in=residents.values("pk"))
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    figures.categories = {**dict.fromkeys(Category.values, 0), **dict(by_category)}
    return figures
