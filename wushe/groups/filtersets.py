"""Filters of the group list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.service_areas import ServiceArea
from wushe.groups.choices import GroupStatus
from wushe.groups.models import Group
from wushe.regions.filtersets import within_code


class GroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    service_area = django_filters.ChoiceFilter(label=_("service area"), choices=ServiceArea.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=GroupStatus.choices)
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region", max_length=20
    )
    started_after = django_filters.DateFilter(
        label=_("Started on or after"), field_name="started_on", lookup_expr="gte"
    )
    started_before = django_filters.DateFilter(
        label=_("Started on or before"), field_name="started_on", lookup_expr="lte"
    )

    class Meta:
        model = Group
        fields = ["q", "service_area", "status", "region", "started_after", "started_before"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(station__name__contains=value))

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)
