"""/api/region-maps/: a deployer's approved maps (区划地图), as on the maps page. Administrators
only (another role: 403); a map is named by its region's code, and one outside the user's
subtree is a 404. POST (multipart: region, approval_number, geojson file) registers or
replaces the map of a region; DELETE removes it. The services check and audit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import scoped_or_404
from wushe.dashboards import selectors, services
from wushe.dashboards.models import RegionMap
from wushe.regions import codes
from wushe.regions.api.serializers import CODE_PATTERN, RegionField

CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, pattern=CODE_PATTERN, description="The region's code."
)


class RegionMapSerializer(serializers.ModelSerializer):
    region = RegionField(help_text="The region whose children the map shows.")
    approval_number = serializers.CharField(max_length=60, help_text="审图号, e.g. GS(2019)1822号")
    geojson = serializers.FileField(
        write_only=True, help_text="A FeatureCollection, one named polygon per child region."
    )
    geojson_url = serializers.SerializerMethodField(help_text="Where the dashboard reads it.")
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RegionMap
        fields = [
            "region",
            "approval_number",
            "geojson",
            "geojson_url",
            "file_name",
            "features",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = ["file_name", "features", "uploaded_at"]

    def get_geojson_url(self, found: RegionMap) -> str:
        return reverse("dashboards:region_map_geojson", args=[found.region.display_code])


class _Administrators(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return services.may_register_maps(request.user)


@extend_schema_view(
    retrieve=extend_schema(parameters=[CODE]), destroy=extend_schema(parameters=[CODE])
)
class RegionMapViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """区划地图: approved GeoJSON maps registered per region, with their 审图号."""

    serializer_class = RegionMapSerializer
    permission_classes = [permissions.IsAuthenticated, _Administrators]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    pagination_class = None  # a handful of maps
    filter_backends: list = []

    def get_queryset(self):
        return selectors.region_map_list(user=self.request.user).order_by("region_id")

    def get_object(self) -> RegionMap:
        try:
            code = codes.normalize_code(str(self.kwargs["code"])[:20])
        except ValidationError:
            code = ""
        return scoped_or_404(self.request, self.get_queryset(), region_id=code)

    def create(self, request: Request) -> Response:
        """Register (or replace) the map of a region."""
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["geojson"]
        if upload.size > services.MAX_BYTES:
            raise ValidationError({"geojson": _("The file is larger than 20 MB.")})
        found = services.region_map_register(
            actor=request.user,
            region=data["region"],
            geojson=upload.read(),
            approval_number=data["approval_number"],
            file_name=upload.name or "",
        )
        return Response(self.get_serializer(found).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: RegionMap) -> None:
        services.region_map_delete(actor=self.request.user, region_map=instance)
