"""Reading social organisations, always from the user's visible subtree first."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from wushe.organisations.filtersets import OrganisationFilterSet
from wushe.organisations.models import IncubationPeriod, Organisation, OrganisationService
from wushe.regions.models import Site


def organisation_list(*, user, filters: Mapping | None = None) -> QuerySet[Organisation]:
    """Organisations the user can see, with their service areas and ``incubating`` (in a base
    now). ``filters`` are the list's filters (``OrganisationFilterSet``); bad ones raise a
    ValidationError with a message per filter."""
    organisations = (
        Organisation.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(
            Prefetch("service_areas", queryset=OrganisationService.objects.order_by("area"))
        )
        .annotate(
            incubating=Exists(
                IncubationPeriod.objects.filter(organisation=OuterRef("pk"), left_on__isnull=True)
            )
        )
    )
    if not filters:
        return organisations
    filterset = OrganisationFilterSet(filters, queryset=organisations)
    if not filterset.is_valid():
        found = filterset.errors.get_json_data()
        raise ValidationError(
            {name: [e["message"] for e in errors] for name, errors in found.items()}
        )
    return filterset.qs


def organisation_incubations(*, user, organisation: Organisation) -> QuerySet[IncubationPeriod]:
    """The organisation's incubation periods, newest first."""
    return (
        IncubationPeriod.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("site")
        .order_by("-entered_on", "-id")
    )


def incubation_sites(*, user) -> QuerySet[Site]:
    """Sites the user can see that may serve as an incubation base."""
    return Site.objects.visible_to(user).select_related("region").order_by("region_id", "name")
