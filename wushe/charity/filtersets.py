"""Filters of the charity lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.charity.choices import DonationKind, DonorKind, FundStatus
from wushe.charity.models import CommunityFund, Donation, Donor, GoodsItem
from wushe.regions.filtersets import within_code

REGION_LABEL = _("Region code (with everything under it)")


class _RegionFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(label=REGION_LABEL, method="filter_region", max_length=20)

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)


class DonorFilterSet(_RegionFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=50)
    kind = django_filters.ChoiceFilter(label=_("kind of donor"), choices=DonorKind.choices)

    class Meta:
        model = Donor
        fields = ["q", "kind", "region"]

    def filter_q(self, queryset, name, value):
        # By name or credit code; never by ID number or phone (those are not in a URL).
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(credit_code=value.upper()))


class DonationFilterSet(_RegionFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind of donation"), choices=DonationKind.choices)
    received_after = django_filters.DateFilter(
        label=_("Received on or after"), field_name="received_on", lookup_expr="gte"
    )
    received_before = django_filters.DateFilter(
        label=_("Received on or before"), field_name="received_on", lookup_expr="lte"
    )
    cancelled = django_filters.BooleanFilter(
        label=_("Cancelled"), field_name="cancelled_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Donation
        fields = ["kind", "region", "received_after", "received_before", "cancelled"]


class FundFilterSet(_RegionFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), field_name="name", lookup_expr="contains", max_length=50
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=FundStatus.choices)

    class Meta:
        model = CommunityFund
        fields = ["q", "status", "region"]


class GoodsFilterSet(_RegionFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), field_name="name", lookup_expr="contains", max_length=50
    )
    in_stock = django_filters.BooleanFilter(label=_("In stock"), method="filter_in_stock")

    class Meta:
        model = GoodsItem
        fields = ["q", "region", "in_stock"]

    def filter_in_stock(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(quantity__gt=0) if value else queryset.filter(quantity=0)
