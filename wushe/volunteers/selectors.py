"""Reading volunteers, their ledger, teams and skills.

Staff reads start from ``visible_to(user)`` (the volunteer's home village in the user's
subtree). A volunteer reads only their own record, found from their account
(:func:`own_volunteer`), never through a scope. Hours and points are always the sums of the
ledger's entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from wushe.core.sums import cents
from wushe.people.identity import IdNumberError, normalize_id_number, parse_id_number
from wushe.people.services import id_hash_of
from wushe.volunteers.choices import EntryKind, Status
from wushe.volunteers.models import LedgerEntry, Skill, Volunteer, VolunteerTeam
from wushe.volunteers.rules import Stars, star_rule_for

_ID_SHAPE = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_LATIN = re.compile(r"^[a-z]+$")
ZERO = Decimal(0)


def volunteer_list(*, user) -> QuerySet[Volunteer]:
    return Volunteer.objects.visible_to(user).select_related("region")


def with_totals(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Each volunteer with ``total_hours`` and ``total_points`` (sub-queries, not a join, so a
    volunteer is never repeated and the list keeps its order)."""
    entries = LedgerEntry.objects.filter(volunteer=OuterRef("pk")).order_by().values("volunteer")
    hours = entries.annotate(s=Sum("hours")).values("s")
    points = entries.annotate(s=Sum("points")).values("s")
    return volunteers.annotate(
        total_hours=Coalesce(
            Subquery(hours, output_field=DecimalField(max_digits=12, decimal_places=2)), ZERO
        ),
        total_points=Coalesce(Subquery(points, output_field=IntegerField()), 0),
    )


def volunteer_search(*, user, query: str) -> QuerySet[Volunteer]:
    """By exact ID number (through the keyed hash), by pinyin or initials, or by a part of the
    name; never outside the user's subtree."""
    volunteers = volunteer_list(user=user)
    query = (query or "").strip()
    if not query:
        return volunteers.none()
    number = normalize_id_number(query)
    if _ID_SHAPE.match(number):
        try:
            number = parse_id_number(number).number
        except IdNumberError:
            return volunteers.none()
        return volunteers.filter(id_hash=id_hash_of(number))
    latin = query.lower().replace(" ", "")
    if _LATIN.match(latin):
        return volunteers.filter(
            Q(name_initials__startswith=latin) | Q(name_pinyin__startswith=latin)
        )
    return volunteers.filter(Q(name__contains=query) | Q(number=query.upper()))


def own_volunteer(user) -> Volunteer | None:
    """The signed-in volunteer's own record (the portal), or None."""
    if user is None or not user.is_authenticated or not getattr(user, "is_volunteer", False):
        return None
    return Volunteer.objects.select_related("region").filter(user=user).first()


def ledger_of(volunteer: Volunteer) -> QuerySet[LedgerEntry]:
    """A volunteer's entries, newest first. The caller has already found the volunteer through
    a scope (staff) or their own account (the portal)."""
    return LedgerEntry.objects.filter(volunteer=volunteer).select_related(
        "created_by", "activity", "reverses", "reversed_by"
    )


def balance(volunteer: Volunteer) -> tuple[Decimal, int]:
    """(hours, points): the sums of the volunteer's entries."""
    sums = LedgerEntry.objects.filter(volunteer=volunteer).aggregate(
        hours=Coalesce(Sum("hours"), ZERO), points=Coalesce(Sum("points"), 0)
    )
    return cents(sums["hours"]), sums["points"]


@dataclass(frozen=True)
class Summary:
    """A volunteer's totals: cumulative hours, points to spend, stars (星级)."""

    hours: Decimal
    points: int
    stars: int
    next_star_hours: int | None  # the hours of the next star, None at five stars
    rule: Stars


def volunteer_summary(volunteer: Volunteer) -> Summary:
    hours, points = balance(volunteer)
    rule = star_rule_for(volunteer.region_id)
    return Summary(
        hours=hours,
        points=points,
        stars=rule.stars_for(hours),
        next_star_hours=rule.next_threshold(hours),
        rule=rule,
    )


def volunteer_counts(code_range: tuple[str, str]) -> dict[str, object]:
    """For the indicators: active volunteers living in the range, and the hours served by every
    volunteer living there (the ledger's sum). Two aggregate queries."""
    low, high = code_range
    active = Volunteer.objects.within(code_range).filter(status=Status.ACTIVE).count()
    hours = LedgerEntry.objects.filter(
        volunteer__region_id__gte=low, volunteer__region_id__lte=high
    ).aggregate(hours=Coalesce(Sum("hours"), ZERO))["hours"]
    return {"active": active, "hours": cents(hours)}


def unreversed(entries: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    """Entries that stand: not a correction, and not reversed by one."""
    return entries.exclude(kind=EntryKind.CORRECTION).filter(reversed_by__isnull=True)


def source_points(volunteer: Volunteer, *, activity=None, task_ref: str = "") -> int:
    """Points already earned (and standing) for one activity or one task: the cap is per source."""
    earned = unreversed(LedgerEntry.objects.filter(volunteer=volunteer, kind=EntryKind.EARNED))
    if activity is not None:
        earned = earned.filter(activity=activity)
    elif task_ref:
        earned = earned.filter(task_ref=task_ref)
    else:
        return 0
    return earned.aggregate(s=Coalesce(Sum("points"), 0))["s"]


def team_list(*, user) -> QuerySet[VolunteerTeam]:
    return (
        VolunteerTeam.objects.visible_to(user)
        .select_related("region", "leader")
        .annotate(member_count=Count("members"))
        .order_by(*VolunteerTeam._meta.ordering)
    )


def skill_list(*, include_retired: bool = False) -> QuerySet[Skill]:
    """The shared taxonomy, the same for every region."""
    skills = Skill.objects.all()
    return skills if include_retired else skills.filter(active=True)
