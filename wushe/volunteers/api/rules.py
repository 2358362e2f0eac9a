"""API views for a region's points rule (积分规则) and star thresholds (星级标准), as on the
rules page: anyone on the staff reads the rules set in their subtree and the rule in force in a
region (``effective/``); station managers and administrators set (POST, 201 new or 200
changed) and remove (DELETE) a region's own rule. Rules outside the subtree are 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from wushe.core.api import parse_id, scoped_or_404
from wushe.regions.api.serializers import RegionField
from wushe.regions.models import Region
from wushe.regions.selectors import user_root
from wushe.volunteers import rule_services
from wushe.volunteers.api.views import NoStore
from wushe.volunteers.models import PointsRule, StarRule
from wushe.volunteers.rules import points_rule_for, star_rule_for
from wushe.volunteers.services import SUPERVISORS

REGION_HELP = "Division code (2, 4, 6, 9 or 12 digits); default: your own region."


class CanSetRules(permissions.BasePermission):
    """Staff read; only station managers and administrators write (403 before the payload for
    a new rule; for an existing one after the scoped lookup has answered 404 outside)."""

    message = _("Only an administrator or a station manager sets points and star rules.")

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or request.user.role in SUPERVISORS

    def has_object_permission(self, request: Request, view, obj) -> bool:
        return request.method in permissions.SAFE_METHODS or request.user.role in SUPERVISORS


class _RuleSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)


class PointsRuleSerializer(_RuleSerializer):
    class Meta:
        model = PointsRule
        fields = ["id", "region", "region_name", *rule_services.POINTS_FIELDS, "updated_at"]
        read_only_fields = fields


class StarRuleSerializer(_RuleSerializer):
    class Meta:
        model = StarRule
        fields = ["id", "region", "region_name", *rule_services.STAR_FIELDS, "updated_at"]
        read_only_fields = fields


def _coefficient() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=4, decimal_places=2, required=False)


class PointsRuleInputSerializer(serializers.Serializer):
    """A region's own points rule; a field left out keeps its value (or the default)."""

    region = RegionField(help_text=_("Division code (2, 4, 6, 9 or 12 digits)."))
    points_per_hour = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    coefficient_basic = _coefficient()
    coefficient_skilled = _coefficient()
    coefficient_professional = _coefficient()
    coefficient_high_risk = _coefficient()
    cap = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)
    expiry_months = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, help_text=_("0: points never expire.")
    )


class StarRuleInputSerializer(serializers.Serializer):
    """A region's own star thresholds (cumulative hours, rising); left out: kept."""

    region = RegionField(help_text=_("Division code (2, 4, 6, 9 or 12 digits)."))
    star1 = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    star2 = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    star3 = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    star4 = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    star5 = serializers.IntegerField(min_value=1, max_value=100_000, required=False)


class RegionQuerySerializer(serializers.Serializer):
    region = RegionField(required=False, help_text=REGION_HELP)


class _InForce(serializers.Serializer):
    region = serializers.CharField()
    source = serializers.SerializerMethodField(help_text="own, inherited or default")
    source_region = serializers.SerializerMethodField(
        help_text="The region whose rule applies, if you can see it."
    )

    def get_source(self, line: dict) -> str:
        if line["rule"].source is None:
            return "default"
        return "own" if line["rule"].source == line["region"] else "inherited"

    def get_source_region(self, line: dict) -> str | None:
        source = line["rule"].source
        return source if source and self.context["request"].user.can_see_code(source) else None


class PointsInForceSerializer(_InForce):
    points_per_hour = serializers.IntegerField(source="rule.points_per_hour")
    coefficients = serializers.DictField(
        source="rule.coefficients", child=serializers.DecimalField(max_digits=4, decimal_places=2)
    )
    cap = serializers.IntegerField(source="rule.cap")
    expiry_months = serializers.IntegerField(source="rule.expiry_months")


class StarsInForceSerializer(_InForce):
    thresholds = serializers.ListField(source="rule.thresholds", child=serializers.IntegerField())


class _RuleViewSet(
    NoStore,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated, CanSetRules]
    filter_backends: list = []
    input_class: type[serializers.Serializer]
    in_force_class: type[serializers.Serializer]

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        return (
            model.objects.visible_to(self.request.user)
            .select_related("region")
            .order_by("region_id")
        )

    def get_object(self):
        rule = scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))
        self.check_object_permissions(self.request, rule)
        return rule

    def _set(self, **values):
        raise NotImplementedError

    def _rule_for(self, code: str):
        raise NotImplementedError

    def create(self, request: Request) -> Response:
        form = self.input_class(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        region: Region = values.pop("region")
        model = self.serializer_class.Meta.model
        existed = model.objects.filter(region=region).exists()
        rule = self._set(actor=request.user, region=region, **values)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.serializer_class(rule).data, status=code)

    def perform_destroy(self, instance) -> None:
        rule_services.rule_clear(actor=self.request.user, rule=instance)

    def effective(self, request: Request) -> Response:
        form = RegionQuerySerializer(data=request.query_params, context={"request": request})
        form.is_valid(raise_exception=True)
        region = form.validated_data.get("region") or user_root(request.user)
        if region is None:  # an account without a region sees nothing at all
            raise serializers.ValidationError({"region": [_("No such region.")]})
        line = {"region": region.code, "rule": self._rule_for(region.code)}
        return Response(self.in_force_class(line, context={"request": request}).data)


class PointsRuleViewSet(_RuleViewSet):
    """积分规则: points per hour × the tier's coefficient, a cap per activity or task, expiry.
    ``effective/?region=`` is the rule in force there: its own, inherited, or the defaults."""

    serializer_class = PointsRuleSerializer
    input_class = PointsRuleInputSerializer
    in_force_class = PointsInForceSerializer

    def _set(self, **values):
        return rule_services.points_rule_set(**values)

    def _rule_for(self, code: str):
        return points_rule_for(code)

    @extend_schema(
        request=PointsRuleInputSerializer,
        responses={200: PointsRuleSerializer, 201: PointsRuleSerializer},
    )
    def create(self, request: Request) -> Response:
        """Set a region's own points rule: 201 for a new rule, 200 for a change."""
        return super().create(request)

    @extend_schema(parameters=[RegionQuerySerializer], responses=PointsInForceSerializer)
    @action(detail=False, pagination_class=None)
    def effective(self, request: Request) -> Response:
        return super().effective(request)


class StarRuleViewSet(_RuleViewSet):
    """星级标准: the cumulative hours for one to five stars. ``effective/?region=`` is the
    thresholds in force there."""

    serializer_class = StarRuleSerializer
    input_class = StarRuleInputSerializer
    in_force_class = StarsInForceSerializer

    def _set(self, **values):
        return rule_services.star_rule_set(**values)

    def _rule_for(self, code: str):
        return star_rule_for(code)

    @extend_schema(
        request=StarRuleInputSerializer,
        responses={200: StarRuleSerializer, 201: StarRuleSerializer},
    )
    def create(self, request: Request) -> Response:
        """Set a region's own star thresholds: 201 for new ones, 200 for a change."""
        return super().create(request)

    @extend_schema(parameters=[RegionQuerySerializer], responses=StarsInForceSerializer)
    @action(detail=False, pagination_class=None)
    def effective(self, request: Request) -> Response:
        return super().effective(request)
