"""Filters for the figures and targets lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from wushe.indicators.models import EnteredValue, Target
from wushe.regions.filtersets import within_code


class _RegionYear(django_filters.FilterSet):
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region"
    )
    year = django_filters.NumberFilter(label=_("Year"), min_value=1949, max_value=2999)

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)


class EnteredValueFilterSet(_RegionYear):
    element = django_filters.CharFilter(label=_("Data element"), field_name="element_id")

    class Meta:
        model = EnteredValue
        fields = ["region", "year", "element"]


class TargetFilterSet(_RegionYear):
    indicator = django_filters.CharFilter(label=_("Indicator"), field_name="indicator__code")

    class Meta:
        model = Target
        fields = ["region", "year", "indicator"]
