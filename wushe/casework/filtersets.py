"""Filters of the visit and case lists, shared by the pages and the API.

The region filter follows the visibility rule (``scoping``): a typed township or village code
keeps the records made there and the records of the people who live there now.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wushe.accounts.models import User
from wushe.casework.cases import Stage
from wushe.casework.forms import UserChoiceField
from wushe.casework.models import Case, HomeVisit
from wushe.regions import codes
from wushe.regions.models import Region


def touching_code(queryset, value: str):
    """Rows under the region a typed code names, or whose person lives there now (any of the
    code's 2/4/6/9/12-digit forms); a malformed or unknown code matches nothing."""
    try:
        code = codes.normalize_code(value)
    except ValidationError:
        return queryset.none()
    region = Region.objects.filter(code=code).only("code", "level").first()
    if region is None:
        return queryset.none()
    return queryset.touching(region.subtree_range)


def _visible_users(request) -> django_filters.QuerySet:
    user = getattr(request, "user", None)
    return User.objects.visible_to(user).order_by("username")


@extend_schema_field(OpenApiTypes.INT)
class WorkerFilter(django_filters.ModelChoiceFilter):
    """A colleague the user can see, by id."""

    field_class = UserChoiceField


class _RegionFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(
        label=_("Township or village code"),
        method="filter_region",
        help_text=_("The records made there and the records of the people living there now."),
    )

    def filter_region(self, queryset, name, value):
        return touching_code(queryset, value)

    def active_filters(self) -> dict[str, str]:
        """The filters in use, for an export's audit entry (none of them is personal)."""
        if not self.is_bound:
            return {}
        return {key: value for key, value in self.data.items() if key in self.filters and value}


class VisitFilterSet(_RegionFilterSet):
    visited_after = django_filters.DateFilter(
        label=_("Visited on or after"), field_name="visited_on", lookup_expr="gte"
    )
    visited_before = django_filters.DateFilter(
        label=_("Visited on or before"), field_name="visited_on", lookup_expr="lte"
    )
    worker = WorkerFilter(label=_("worker"), queryset=_visible_users, method="filter_worker")

    class Meta:
        model = HomeVisit
        fields = ["region", "visited_after", "visited_before", "worker"]

    def filter_worker(self, queryset, name, value):
        # A sub-query, not a join over the workers: no visit is repeated.
        through = HomeVisit.workers.through.objects.filter(user_id=value.pk)
        return queryset.filter(pk__in=through.values("homevisit_id"))


class CaseFilterSet(_RegionFilterSet):
    stage = django_filters.ChoiceFilter(label=_("stage"), choices=Stage.choices)
    worker = WorkerFilter(label=_("case worker"), queryset=_visible_users)

    class Meta:
        model = Case
        fields = ["region", "stage", "worker"]
