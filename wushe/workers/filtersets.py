"""Filters of the social worker list, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.regions.filtersets import within_code
from wushe.regions.models import Site
from wushe.workers.choices import CertificateLevel, Employment, WorkerStatus
from wushe.workers.models import SocialWorker


def _sites(request):
    """The sites the requesting user can see (none without a request: the filter then only
    accepts nothing)."""
    user = getattr(request, "user", None)
    return Site.objects.visible_to(user).order_by("region_id", "kind", "name")


class SocialWorkerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    certificate_level = django_filters.ChoiceFilter(
        label=_("certificate level"), choices=CertificateLevel.choices
    )
    certified = django_filters.BooleanFilter(label=_("Certified"), method="filter_certified")
    employment = django_filters.ChoiceFilter(label=_("employment"), choices=Employment.choices)
    is_supervisor = django_filters.BooleanFilter(label=_("supervisor (督导)"))
    site = django_filters.ModelChoiceFilter(label=_("site"), queryset=_sites)
    status = django_filters.ChoiceFilter(label=_("status"), choices=WorkerStatus.choices)
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region", max_length=20
    )

    class Meta:
        model = SocialWorker
        fields = [
            "q",
            "certificate_level",
            "certified",
            "employment",
            "is_supervisor",
            "site",
            "status",
            "region",
        ]

    def filter_q(self, queryset, name, value):
        # By name or certificate number; never by ID number or phone (not in a URL).
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(certificate_number=value))

    def filter_certified(self, queryset, name, value):
        if value is None:
            return queryset
        none = Q(certificate_level=CertificateLevel.NONE)
        return queryset.exclude(none) if value else queryset.filter(none)

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)
