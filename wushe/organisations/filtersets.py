"""Filters of the organisation list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import OrganisationStatus, OrganisationType
from wushe.organisations.models import IncubationPeriod, Organisation, OrganisationService
from wushe.regions.filtersets import within_code


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    kind = django_filters.ChoiceFilter(
        label=_("type of organisation"), choices=OrganisationType.choices
    )
    service_area = django_filters.ChoiceFilter(
        label=_("service area"), choices=ServiceArea.choices, method="filter_service_area"
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=OrganisationStatus.choices)
    incubating = django_filters.BooleanFilter(
        label=_("In an incubation base now"), method="filter_incubating"
    )
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region", max_length=20
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "service_area", "status", "incubating", "region"]

    def filter_q(self, queryset, name, value):
        # By name, contact person or credit code (an organisation's code is public).
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value)
            | Q(contact_person__contains=value)
            | Q(credit_code=value.upper())
        )

    def filter_service_area(self, queryset, name, value):
        # A sub-query, not a join: an organisation with several areas is listed once.
        areas = OrganisationService.objects.filter(organisation=OuterRef("pk"), area=value)
        return queryset.filter(Exists(areas))

    def filter_incubating(self, queryset, name, value):
        if value is None:
            return queryset
        open_periods = IncubationPeriod.objects.filter(
            organisation=OuterRef("pk"), left_on__isnull=True
        )
        return (
            queryset.filter(Exists(open_periods))
            if value
            else queryset.exclude(Exists(open_periods))
        )

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)
