"""API views for regions, sites and coverage. Reads start from ``visible_to(user)`` (through the
selectors); writes go through the site services with the requesting user as the actor."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.accounts.models import User
from wushe.core.api import parse_id, scoped_or_404
from wushe.regions import codes, selectors, services
from wushe.regions.api.filtersets import RegionFilterSet
from wushe.regions.api.serializers import (
    CODE_PATTERN,
    DivisionCodeField,
    NodeCoverageSerializer,
    RegionSerializer,
    SiteSerializer,
)
from wushe.regions.filtersets import SiteFilterSet
from wushe.regions.models import Region, Site

CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    pattern=CODE_PATTERN,
    description="Division code: 2, 4, 6, 9 or 12 digits.",
)


def visible_region(request: Request, raw_code: object) -> Region:
    """The region named by a code in any short form, if the user can see it; else 404.
    A code that is not a code at all is a 400 with the reason."""
    try:
        code = codes.normalize_code(raw_code)
    except DjangoValidationError as error:
        raise serializers.ValidationError({"code": error.messages}) from error
    return scoped_or_404(request, Region.objects.visible_to(request.user), code=code)


def node_coverage(request: Request, region: Region) -> dict:
    children = selectors.coverage_by_child(user=request.user, region=region)
    total = selectors.coverage_of(user=request.user, region=region)
    return NodeCoverageSerializer(total, context={"request": request, "children": children}).data


@extend_schema_view(
    retrieve=extend_schema(parameters=[CODE_PARAMETER]),
    children=extend_schema(parameters=[CODE_PARAMETER]),
    ancestors=extend_schema(parameters=[CODE_PARAMETER]),
    coverage=extend_schema(parameters=[CODE_PARAMETER]),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划: the division tree, limited to the user's subtree."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)

    def get_object(self) -> Region:
        return visible_region(self.request, self.kwargs["code"])

    @extend_schema(responses=RegionSerializer(many=True))
    @action(detail=True, filter_backends=[])
    def children(self, request: Request, code: str | None = None) -> Response:
        region = self.get_object()
        page = self.paginate_queryset(selectors.region_children(user=request.user, region=region))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=RegionSerializer(many=True))
    @action(detail=True, filter_backends=[], pagination_class=None)
    def ancestors(self, request: Request, code: str | None = None) -> Response:
        """The chain from the user's own region down to this region's parent (at most five)."""
        region = self.get_object()
        chain = selectors.region_ancestors(user=request.user, region=region)
        return Response(self.get_serializer(chain, many=True).data)

    @extend_schema(responses=NodeCoverageSerializer)
    @action(detail=True, filter_backends=[], pagination_class=None)
    def coverage(self, request: Request, code: str | None = None) -> Response:
        return Response(node_coverage(request, self.get_object()))


class CoverageQuerySerializer(serializers.Serializer):
    region = DivisionCodeField(required=False, help_text="Division code; default: your region.")


class CoverageView(APIView):
    """社工站覆盖率: operating stations over townships and rooms over villages."""

    @extend_schema(parameters=[CoverageQuerySerializer], responses=NodeCoverageSerializer)
    def get(self, request: Request) -> Response:
        query = CoverageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code = query.validated_data.get("region") or request.user.region_id
        return Response(node_coverage(request, visible_region(request, code or "")))


class CanCreateSites(permissions.BasePermission):
    """A worker or auditor is told 403 before the payload is checked (as on the pages); changes
    to an existing site are refused by the service, after the scoped lookup has given 404 for
    sites outside the subtree."""

    message = _("Your role cannot change service sites.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.can_edit_sites


class SiteViewSet(viewsets.ModelViewSet):
    """服务站点: the three-tier service network. Writes go through the site services."""

    serializer_class = SiteSerializer
    permission_classes = [permissions.IsAuthenticated, CanCreateSites]
    filterset_class = SiteFilterSet

    def get_queryset(self):
        staff = User.objects.only("id", "region_id")
        return selectors.site_list(user=self.request.user).prefetch_related(
            Prefetch("staff", queryset=staff)
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # "?ordering=," makes django-filter drop the ordering; pages need a stable one.
        return queryset if queryset.ordered else queryset.order_by(*Site._meta.ordering)

    def get_object(self) -> Site:
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def perform_create(self, serializer: SiteSerializer) -> None:
        serializer.instance = services.site_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer: SiteSerializer) -> None:
        serializer.instance = services.site_update(
            actor=self.request.user, site=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Site) -> None:
        services.site_delete(actor=self.request.user, site=instance)
