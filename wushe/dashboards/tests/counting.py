"""Counting the records themselves, with the models and nothing of the counters, selectors or
services: what every figure of the report and the dashboard must equal."""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Q, Sum

from wushe.activities.models import Activity
from wushe.casework.models import Case, CaseRecord, HomeVisit
from wushe.groups.models import Group, GroupSession
from wushe.people.models import Resident
from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site


def head(region: Region) -> str:
    return codes.prefix(region.code, region.level)


def last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _in(model, region: Region, field: str = "region_code"):
    return model.objects.filter(**{f"{field}__startswith": head(region)})


def _dated(model, region: Region, field: str, month: date):
    return _in(model, region).filter(**{f"{field}__range": (month, last_day(month))})


def statistics(region: Region, month: date) -> dict[str, int]:
    """服务统计 of ``region``'s subtree in ``month``, counted from the records."""
    start, end = month, last_day(month)
    cases = _in(Case, region)
    before = cases.filter(opened_on__lt=start).exclude(closed_on__lt=start)
    sessions = _dated(GroupSession, region, "held_on", month)
    activities = _dated(Activity, region, "held_on", month)
    visits = _dated(HomeVisit, region, "visited_on", month).count()
    records = _dated(CaseRecord, region, "served_on", month).count()
    present = sum(session.attendees.count() for session in sessions)
    named = sum(activity.participants.count() for activity in activities)
    anonymous = activities.aggregate(n=Sum("anonymous_count"))["n"] or 0
    opened = cases.filter(opened_on__range=(start, end)).count()
    return {
        "persons": _in(Resident, region, "region__code").count(),
        "visits": visits,
        "cases_served": before.count() + opened,
        "cases_opened": opened,
        "cases_closed": cases.filter(closed_on__range=(start, end)).count(),
        "cases_open": cases.filter(opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .count(),
        "groups": _dated(Group, region, "started_on", month).count(),
        "group_sessions": sessions.count(),
        "activities": activities.count(),
        "person_times": visits + records + present + named + anonymous,
    }


def regions_below(region: Region, level: int) -> int:
    return _in(Region, region, "code").filter(level=level).count()


def sites_in(region: Region, kind: str, opened_by: date | None = None) -> int:
    """Regions of ``region``'s subtree with an operating site of ``kind`` (opened by then)."""
    sites = _in(Site, region, "region__code").filter(kind=kind, status=SiteStatus.OPERATING)
    if opened_by is not None:
        sites = sites.filter(Q(opened_on__isnull=True) | Q(opened_on__lte=opened_by))
    return sites.values("region_id").distinct().count()


def coverage(region: Region) -> dict:
    townships, villages = regions_below(region, 4), regions_below(region, 5)
    stations = sites_in(region, SiteKind.STATION)
    rooms = sites_in(region, SiteKind.ROOM)
    return {
        "townships": townships,
        "stations": stations,
        "station_rate": round(100 * stations / townships, 1) if townships else None,
        "villages": villages,
        "rooms": rooms,
        "room_rate": round(100 * rooms / villages, 1) if villages else None,
    }
