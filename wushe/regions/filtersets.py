"""Filters for the site list, shared by the page and the API (one definition, two front ends)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site


class SiteFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=SiteKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=SiteStatus.choices)
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("region", "region"),
            ("kind", "kind"),
            ("status", "status"),
            ("opened_on", "opened_on"),
            ("floor_area", "floor_area"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = Site
        fields = ["q", "kind", "status", "region"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__contains=value.strip()) if value.strip() else queryset

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)


def within_code(queryset, value: str):
    """Rows of a scoped queryset under the region a typed code names (any of its 2/4/6/9/12
    digit forms); a malformed or unknown code matches nothing. Used by every list filter."""
    try:
        code = codes.normalize_code(value)
    except ValidationError:
        return queryset.none()
    region = Region.objects.filter(code=code).only("code", "level").first()
    if region is None:
        return queryset.none()
    return queryset.within(region.subtree_range)
