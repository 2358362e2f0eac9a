"""API views for home visits, overdue visits and visit frequencies. Reads start from the
casework selectors (``visible_to(user)``); writes go through the casework services."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.casework import selectors, services
from wushe.casework.api.common import CanRecordWork, CanSetRules, NoStore
from wushe.casework.api.serializers import (
    EffectiveRuleSerializer,
    FrequencyInputSerializer,
    FrequencySerializer,
    OverdueQuerySerializer,
    OverdueSerializer,
    RegionQuerySerializer,
    VisitCreateSerializer,
    VisitDetailSerializer,
    VisitSerializer,
    VisitUpdateSerializer,
)
from wushe.casework.filtersets import VisitFilterSet
from wushe.casework.models import HomeVisit, VisitFrequency
from wushe.core.api import parse_id, scoped_or_404
from wushe.regions.filtersets import within_code
from wushe.regions.models import Region


class VisitViewSet(
    NoStore,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """入户走访: visits in the user's subtree, or of the people who live there now. The list
    holds no findings; opening one visit (with them) is an audit-log view."""

    serializer_class = VisitSerializer
    permission_classes = [permissions.IsAuthenticated, CanRecordWork]
    filterset_class = VisitFilterSet

    def get_queryset(self):
        return selectors.visit_list(user=self.request.user)

    def get_object(self) -> HomeVisit:
        visit = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, visit)
        return visit

    def _detail(self, visit: HomeVisit, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(
            VisitDetailSerializer(fresh, context=self.get_serializer_context()).data, code
        )

    @extend_schema(responses=VisitDetailSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        visit = services.visit_view(actor=request.user, visit=self.get_object())
        return self._detail(visit)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitDetailSerializer})
    def create(self, request: Request) -> Response:
        form = VisitCreateSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        visit = services.visit_record(actor=request.user, **form.validated_data)
        return self._detail(visit, status.HTTP_201_CREATED)

    @extend_schema(request=VisitUpdateSerializer, responses=VisitDetailSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        form = VisitUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        services.visit_update(actor=request.user, visit=visit, **form.validated_data)
        return self._detail(visit)

    def perform_destroy(self, instance: HomeVisit) -> None:
        services.visit_delete(actor=self.request.user, visit=instance)


def _region(request: Request, query_class=RegionQuerySerializer) -> Region | None:
    """The region asked for (400 with the reason if malformed or out of sight), else the
    user's own region."""
    query = query_class(data=request.query_params, context={"request": request})
    query.is_valid(raise_exception=True)
    return query.chosen() or request.user.region


class OverdueVisitViewSet(NoStore, viewsets.GenericViewSet):
    """逾期走访: residents of a region (default: yours) whose visit is overdue, most overdue
    first."""

    serializer_class = OverdueSerializer
    filter_backends: list = []

    def get_queryset(self):  # for the schema and the refusal log: what the rows are about
        return HomeVisit.objects.none()

    @extend_schema(parameters=[OverdueQuerySerializer], responses=OverdueSerializer(many=True))
    def list(self, request: Request) -> Response:
        region = _region(request, OverdueQuerySerializer)
        today = timezone.localdate()
        rows = (
            selectors.overdue_visits(user=request.user, region=region, today=today)
            if region
            else []
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(OverdueSerializer(page, many=True).data)


class FrequencyFilterSet(django_filters.FilterSet):
    region = django_filters.CharFilter(
        label=_("Region code (with everything under it)"), method="filter_region"
    )

    class Meta:
        model = VisitFrequency
        fields = ["region", "category"]

    def filter_region(self, queryset, name, value):
        return within_code(queryset, value)


class FrequencyViewSet(
    NoStore,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """走访频次: rules set in your subtree. ``effective/`` tells the rule in force for each
    category in a region (its own, inherited from above, or the default). Administrators and
    station managers set (POST) and remove (DELETE) rules."""

    serializer_class = FrequencySerializer
    permission_classes = [permissions.IsAuthenticated, CanSetRules]
    filterset_class = FrequencyFilterSet

    def get_queryset(self):
        return selectors.frequency_list(user=self.request.user)

    def get_object(self) -> VisitFrequency:
        rule = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, rule)
        return rule

    @extend_schema(
        request=FrequencyInputSerializer,
        responses={200: FrequencySerializer, 201: FrequencySerializer},
    )
    def create(self, request: Request) -> Response:
        """Set a category's frequency for a region: 201 for a new rule, 200 for a change."""
        form = FrequencyInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        existed = VisitFrequency.objects.filter(
            region=data["region"], category=data["category"]
        ).exists()
        rule = services.frequency_set(actor=request.user, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(FrequencySerializer(rule).data, status=code)

    def perform_destroy(self, instance: VisitFrequency) -> None:
        services.frequency_delete(actor=self.request.user, rule=instance)

    @extend_schema(parameters=[RegionQuerySerializer], responses=EffectiveRuleSerializer(many=True))
    @action(detail=False, filter_backends=[], pagination_class=None)
    def effective(self, request: Request) -> Response:
        region = _region(request)
        if region is None:
            return Response([])
        lines = selectors.frequency_rules(user=request.user, region=region)
        return Response(EffectiveRuleSerializer(lines, many=True).data)
