"""Filters of the activity list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.activities.models import Activity
from wushe.core.service_areas import ServiceArea
from wushe.regions.filtersets import within_code


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    service_area = django_filters.ChoiceFilter(label=_("service area"), choices=ServiceArea.choices)
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region", max_length=20
    )
    held_after = django_filters.DateFilter(
        label=_("Held on or after"), field_name="held_on", lookup_expr="gte"
    )
    held_before = django_filters.DateFilter(
        label=_("Held on or before"), field_name="held_on", lookup_expr="lte"
    )

    class Meta:
        model = Activity
        fields = ["q", "service_area", "region", "held_after", "held_before"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(theme__contains=value) | Q(place__contains=value) | Q(station__name__contains=value)
        )

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)
