"""Reading community activities, always from the user's visible subtree first."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from wushe.activities.models import Activity
from wushe.people.models import Resident
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site


def activity_list(*, user) -> QuerySet[Activity]:
    """Activities with the name of the region where each was held and its participant count."""
    through = Activity.participants.through
    participants = (
        through.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    region_name = Region.objects.filter(code=OuterRef("region_code")).values("name")[:1]
    return (
        Activity.objects.visible_to(user)
        .select_related("station")
        .annotate(
            participant_count=Coalesce(
                Subquery(participants, output_field=IntegerField()), Value(0)
            ),
            region_name=Subquery(region_name),
        )
    )


def activity_participants(*, activity: Activity) -> QuerySet[Resident]:
    """The named participants of an activity the user has already been allowed to see."""
    return activity.participants.select_related("region").order_by("name_pinyin", "id")


def places_of(station: Site) -> QuerySet[Region]:
    """Where a station's activities may be held besides its own region: its villages."""
    return Region.objects.filter(parent_id=station.region_id, level=Level.VILLAGE).order_by("code")
