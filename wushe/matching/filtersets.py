"""Filters of the needs, projects and tasks lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.service_areas import ServiceArea
from wushe.matching.choices import (
    NeedSource,
    NeedStatus,
    ProjectStatus,
    TaskStatus,
    Urgency,
)
from wushe.matching.models import Need, ServiceProject, Task
from wushe.regions.filtersets import within_code

ID_LIMITS = {"min_value": 1, "max_value": 2**63 - 1}


class NeedFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    status = django_filters.ChoiceFilter(label=_("status"), choices=NeedStatus.choices)
    urgency = django_filters.ChoiceFilter(label=_("urgency"), choices=Urgency.choices)
    service_area = django_filters.ChoiceFilter(label=_("service area"), choices=ServiceArea.choices)
    source = django_filters.ChoiceFilter(label=_("source"), choices=NeedSource.choices)
    station = django_filters.NumberFilter(label=_("station"), field_name="station_id", **ID_LIMITS)
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"),
        method="filter_region",
        max_length=20,
    )

    class Meta:
        model = Need
        fields = [
            "q",
            "status",
            "urgency",
            "service_area",
            "source",
            "station",
            "region",
        ]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__contains=value)
            | Q(resident__name__contains=value)
            | Q(group__name__contains=value)
            | Q(address__contains=value)
        )

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ProjectStatus.choices)
    service_area = django_filters.ChoiceFilter(label=_("service area"), choices=ServiceArea.choices)
    station = django_filters.NumberFilter(label=_("station"), field_name="station_id", **ID_LIMITS)

    class Meta:
        model = ServiceProject
        fields = ["q", "status", "service_area", "station"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(target_group__contains=value))


class TaskFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=TaskStatus.choices)
    need = django_filters.NumberFilter(label=_("need"), field_name="need_id", **ID_LIMITS)

    class Meta:
        model = Task
        fields = ["status", "need"]
