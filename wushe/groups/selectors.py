"""Reading group work, always from the user's visible subtree first."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.people.models import Resident
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site


def _count_of(model, **filters) -> Coalesce:
    """Rows of ``model`` per group as a sub-query: two counts joined side by side would
    multiply each other."""
    rows = (
        model.objects.filter(group=OuterRef("pk"), **filters)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def group_list(*, user) -> QuerySet[Group]:
    """Groups with their number of sessions and of current members."""
    return (
        Group.objects.visible_to(user)
        .select_related("station", "leader")
        .annotate(
            session_count=_count_of(GroupSession),
            member_count=_count_of(GroupMember, left_on__isnull=True),
        )
    )


def group_members(*, user, group: Group) -> QuerySet[GroupMember]:
    """The group's members, each with the number of sessions attended."""
    return (
        GroupMember.objects.visible_to(user)
        .filter(group=group)
        .select_related("resident", "resident__region")
        .annotate(attended=Count("sessions_attended"))
    )


def group_sessions(*, user, group: Group) -> QuerySet[GroupSession]:
    """The group's sessions by number, each with the number of members present."""
    return (
        GroupSession.objects.visible_to(user)
        .filter(group=group)
        .annotate(present=Count("attendees"))
        .order_by("number", "id")
    )


def shown_name(user, resident: Resident) -> str | None:
    """A member's or participant's name as ``user`` may see it: someone with a wider subtree
    may have added a resident from outside this user's, whose name then stays hidden."""
    return resident.name if user.can_see_code(resident.region_id) else None


def hidden_label() -> str:
    return _("A resident of another area")


def running_sites(*, user) -> QuerySet[Site]:
    """Stations and rooms the user can see: the sites that run groups and activities."""
    return (
        Site.objects.visible_to(user)
        .filter(kind__in=[SiteKind.STATION, SiteKind.ROOM])
        .select_related("region")
        .order_by("region_id", "kind", "name")
    )
