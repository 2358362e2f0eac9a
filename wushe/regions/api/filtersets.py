"""Filters of the region list in the API (the site filters are shared: ../filtersets.py)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from wushe.regions import codes
from wushe.regions.codes import Level
from wushe.regions.models import Region
from wushe.regions.selectors import region_search


class DivisionCodeFormField(forms.CharField):
    """A 2/4/6/9/12-digit division code, cleaned to the 12-digit form (else a field error)."""

    def clean(self, value):
        value = super().clean(value)
        return codes.normalize_code(value) if value else value


@extend_schema_field({"type": "string", "pattern": r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$"})
class DivisionCodeFilter(django_filters.CharFilter):
    field_class = DivisionCodeFormField


class RegionFilterSet(django_filters.FilterSet):
    parent = DivisionCodeFilter(field_name="parent_id", label=_("Parent region code"))
    level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int, label=_("level"))
    q = django_filters.CharFilter(method="filter_q", label=_("Name or code"))

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]

    def filter_q(self, queryset, name, value):
        # The search rule (name contains, or code prefix) is the selector's; unlimited here
        # because the API paginates. `&` keeps the other filters and the search's ordering.
        return region_search(user=self.request.user, query=value, limit=None) & queryset
