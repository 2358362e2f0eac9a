"""Reading the three lists and matching, always from the user's visible subtree first; and a
volunteer's own tasks, read through their own volunteer record (never through a scope)."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from wushe.matching.choices import OPEN_TASKS, NeedStatus, ProposalStatus, TaskStatus
from wushe.matching.models import (
    MatchRun,
    Need,
    OrganisationOffer,
    Proposal,
    ServiceProject,
    Task,
    UnmetNeed,
)
from wushe.regions.choices import SiteKind
from wushe.regions.models import Site


def stations(*, user) -> QuerySet[Site]:
    """Township stations the user can see: the sites that keep the three lists."""
    return (
        Site.objects.visible_to(user)
        .filter(kind=SiteKind.STATION)
        .select_related("region")
        .order_by("region_id", "name")
    )


def need_list(*, user) -> QuerySet[Need]:
    return (
        Need.objects.visible_to(user)
        .select_related("station", "region", "resident", "group")
        .prefetch_related("skills")
    )


def need_tasks(*, need: Need) -> QuerySet[Task]:
    """A visible need's tasks, newest first."""
    return need.tasks.select_related("volunteer", "offer__organisation").order_by("-id")


def offer_list(*, user) -> QuerySet[OrganisationOffer]:
    open_tasks = (
        Task.objects.filter(offer=OuterRef("pk"), status__in=OPEN_TASKS)
        .order_by()
        .values("offer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        OrganisationOffer.objects.visible_to(user)
        .select_related("organisation", "station")
        .prefetch_related("skills")
        .annotate(open_tasks=Coalesce(Subquery(open_tasks, output_field=IntegerField()), 0))
    )


def project_list(*, user) -> QuerySet[ServiceProject]:
    linked = (
        ServiceProject.needs.through.objects.filter(serviceproject=OuterRef("pk"))
        .order_by()
        .values("serviceproject")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ServiceProject.objects.visible_to(user)
        .select_related("station")
        .annotate(need_count=Coalesce(Subquery(linked, output_field=IntegerField()), Value(0)))
    )


def run_list(*, user) -> QuerySet[MatchRun]:
    return MatchRun.objects.visible_to(user).select_related("actor", "station")


def run_proposals(*, user, run: MatchRun) -> QuerySet[Proposal]:
    """The run's proposals the user can see (a county run holds needs of several stations)."""
    return (
        Proposal.objects.visible_to(user)
        .filter(run=run)
        .select_related(
            "need__region",
            "need__resident",
            "need__group",
            "volunteer",
            "offer__organisation",
            "next_volunteer",
            "next_offer__organisation",
            "task",
        )
        .prefetch_related("need__skills")
        .order_by("need__urgency", "need_id")
    )


def run_unmet(*, user, run: MatchRun) -> QuerySet[UnmetNeed]:
    return (
        UnmetNeed.objects.visible_to(user)
        .filter(run=run)
        .select_related("need__region", "need__resident", "need__group")
        .prefetch_related("need__skills")
        .order_by("need__urgency", "need_id")
    )


def pending_count(*, user, run: MatchRun) -> int:
    return run_proposals(user=user, run=run).filter(status=ProposalStatus.PROPOSED).count()


def task_list(*, user) -> QuerySet[Task]:
    return Task.objects.visible_to(user).select_related(
        "need__region",
        "need__resident",
        "need__group",
        "volunteer",
        "offer__organisation",
    )


def my_tasks(*, volunteer) -> QuerySet[Task]:
    """A volunteer's own tasks (the portal). ``volunteer`` is the signed-in user's own record;
    nobody else's task is ever in this queryset."""
    if volunteer is None:
        return Task.objects.none()
    return (
        Task.objects.filter(volunteer=volunteer)
        .select_related("need__region", "need__resident", "need__group", "need__station")
        .prefetch_related("need__skills")
        # Waiting for an answer first, then under way, then the rest; newest first in each.
        .order_by(
            Case(
                When(status=TaskStatus.OFFERED, then=Value(0)),
                When(status=TaskStatus.ACCEPTED, then=Value(1)),
                default=Value(2),
            ),
            "-offered_at",
            "-id",
        )
    )


def needs_for_linking(*, user, project: ServiceProject) -> QuerySet[Need]:
    """Needs of the project's station not yet linked to it, open or being served."""
    linked = project.needs.values("pk")
    return (
        need_list(user=user)
        .filter(station=project.station)
        .exclude(pk__in=linked)
        .filter(status__in=(NeedStatus.OPEN, NeedStatus.MATCHED, NeedStatus.IN_SERVICE))
    )
