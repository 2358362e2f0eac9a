"""API of the indicators: definitions (/api/indicators/, /api/data-elements/), entered figures
(/api/entered-values/), targets (/api/targets/) and values (/api/indicator-values/,
/api/kpis/). Reads go through the selectors (outside the user's subtree: 404); writes through
the services, with the requesting user as the actor (a role that may not: 403; bad input: 400
with the message on its field)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.core.api import parse_id, scoped_or_404
from wushe.indicators import entries, selectors, services
from wushe.indicators.api.serializers import (
    DataElementSerializer,
    EnteredValueSerializer,
    IndicatorSerializer,
    IndicatorValuesSerializer,
    KpiSerializer,
    TargetSerializer,
)
from wushe.indicators.filtersets import EnteredValueFilterSet, TargetFilterSet
from wushe.indicators.periods import Period, add_months
from wushe.regions.api.serializers import DivisionCodeField
from wushe.regions.models import Region

CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, pattern=r"^[a-z][a-z0-9_]{0,39}$", description="Code."
)


class _ByCode(viewsets.ModelViewSet):
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    pagination_class = None  # dozens of definitions, not thousands

    def get_object(self) -> Model:
        return scoped_or_404(self.request, self.get_queryset(), code=str(self.kwargs["code"])[:40])


@extend_schema_view(
    retrieve=extend_schema(parameters=[CODE]),
    update=extend_schema(parameters=[CODE]),
    partial_update=extend_schema(parameters=[CODE]),
    destroy=extend_schema(parameters=[CODE]),
)
class DataElementViewSet(_ByCode):
    """数据元: the figures indicators are built from. New ones are entered per year."""

    serializer_class = DataElementSerializer

    def get_queryset(self):
        return selectors.element_list(user=self.request.user)

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        fields = {
            name: data[name]
            for name in ("name_zh", "name_en", "unit", "description")
            if name in data
        }
        serializer.instance = services.element_create(
            actor=self.request.user, code=data.get("code", ""), **fields
        )

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("code", None)  # a code never changes
        serializer.instance = services.element_update(
            actor=self.request.user, element=serializer.instance, **data
        )

    def perform_destroy(self, instance) -> None:
        services.element_delete(actor=self.request.user, element=instance)


@extend_schema_view(
    retrieve=extend_schema(parameters=[CODE]),
    update=extend_schema(parameters=[CODE]),
    partial_update=extend_schema(parameters=[CODE]),
    destroy=extend_schema(parameters=[CODE]),
)
class IndicatorViewSet(_ByCode):
    """指标: numerator ÷ denominator × factor, defined as data."""

    serializer_class = IndicatorSerializer

    def get_queryset(self):
        return selectors.indicator_list(user=self.request.user)

    def perform_create(self, serializer: IndicatorSerializer) -> None:
        data = serializer.service_arguments()
        code = data.pop("code", "")
        serializer.instance = services.indicator_create(actor=self.request.user, code=code, **data)

    def perform_update(self, serializer: IndicatorSerializer) -> None:
        data = serializer.service_arguments()
        data.pop("code", None)
        serializer.instance = services.indicator_update(
            actor=self.request.user, indicator=serializer.instance, **data
        )

    def perform_destroy(self, instance) -> None:
        services.indicator_delete(actor=self.request.user, indicator=instance)


class _MayCreate(permissions.BasePermission):
    """A role that may not write is told 403 before its payload is checked (as on the pages);
    changes to a row are refused by the service after the scoped lookup (404 outside)."""

    def has_permission(self, request: Request, view) -> bool:
        return view.action != "create" or view.may_create(request.user)


class _ById(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, _MayCreate]
    may_create = staticmethod(entries.may_enter)

    def get_object(self) -> Model:
        return scoped_or_404(self.request, self.get_queryset(), pk=parse_id(self.kwargs["pk"]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if queryset.ordered else queryset.order_by("pk")


class EnteredValueViewSet(_ById):
    """填报值: a region's figure of an entered element for a year. POST sets it (a second POST
    for the same region, year and element corrects it); PUT/PATCH change its value and note."""

    serializer_class = EnteredValueSerializer
    filterset_class = EnteredValueFilterSet

    def get_queryset(self):
        return selectors.entered_value_list(user=self.request.user)

    def _element(self, code: str):
        found = selectors.element_list(user=self.request.user).filter(code=code).first()
        if found is None:
            message = _("There is no data element “%(code)s”.") % {"code": code[:40]}
            raise serializers.ValidationError({"element": [message]})
        return found

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = entries.entered_value_set(
            actor=self.request.user,
            region=data["region"],
            year=data["year"],
            element=self._element(data["element_id"]),
            value=data["value"],
            note=data.get("note", ""),
        )

    def perform_update(self, serializer) -> None:
        figure, data = serializer.instance, serializer.validated_data
        serializer.instance = entries.entered_value_set(
            actor=self.request.user,
            region=figure.region,  # the key stays: another key is another figure
            year=figure.year,
            element=figure.element,
            value=data.get("value", figure.value),
            note=data.get("note", figure.note),
        )

    def perform_destroy(self, instance) -> None:
        entries.entered_value_delete(actor=self.request.user, entered=instance)


class TargetViewSet(_ById):
    """目标: an indicator's value to reach in a region by the end of a year; it applies below
    the region unless a region there sets its own."""

    serializer_class = TargetSerializer
    may_create = staticmethod(entries.may_set_targets)
    filterset_class = TargetFilterSet

    def get_queryset(self):
        return selectors.target_list(user=self.request.user)

    def _arguments(self, data: dict, target=None) -> dict:
        if target is None:
            code = data["indicator"]["code"]
            indicator = selectors.indicator_list(user=self.request.user).filter(code=code).first()
            if indicator is None:
                raise serializers.ValidationError({"indicator": [_("No such indicator.")]})
            key = {"region": data["region"], "indicator": indicator, "year": data["year"]}
        else:
            key = {"region": target.region, "indicator": target.indicator, "year": target.year}
        kept = {name: getattr(target, name, None) for name in ("value", "base_year", "base_value")}
        rest = {name: data.get(name, kept[name]) for name in kept}
        return {**key, **rest, "source": data.get("source", getattr(target, "source", ""))}

    def perform_create(self, serializer) -> None:
        arguments = self._arguments(serializer.validated_data)
        serializer.instance = entries.target_set(actor=self.request.user, **arguments)

    def perform_update(self, serializer) -> None:
        arguments = self._arguments(serializer.validated_data, serializer.instance)
        serializer.instance = entries.target_set(actor=self.request.user, **arguments)

    def perform_destroy(self, instance) -> None:
        entries.target_delete(actor=self.request.user, target=instance)


# Values ----------------------------------------------------------------------------------------


class ValueQuerySerializer(serializers.Serializer):
    region = DivisionCodeField(required=False, help_text="Division code; default: your region.")
    period = serializers.CharField(
        required=False,
        max_length=30,
        help_text="2025, 2025-10 or 2025-01..2025-06; default: this year.",
    )

    def validate_period(self, text: str) -> Period:
        try:
            return Period.parse(text)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class IndicatorValueQuerySerializer(ValueQuerySerializer):
    indicator = serializers.CharField(max_length=40, help_text="The indicator's code.")
    trend = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=120,
        help_text="Months of trend up to the period's end.",
    )


def _asked(request: Request, query: serializers.Serializer) -> tuple[Region, Period]:
    query.is_valid(raise_exception=True)
    data = query.validated_data
    code = data.get("region") or (request.user.region_id or "")
    region = scoped_or_404(request, Region.objects.visible_to(request.user), code=code)
    return region, data.get("period") or Period.current()


class IndicatorValuesView(APIView):
    """An indicator's value for a region (default: yours) and period, and for each child."""

    @extend_schema(parameters=[IndicatorValueQuerySerializer], responses=IndicatorValuesSerializer)
    def get(self, request: Request) -> Response:
        query = IndicatorValueQuerySerializer(data=request.query_params)
        region, period = _asked(request, query)
        visible = selectors.indicator_list(user=request.user)
        indicator = scoped_or_404(request, visible, code=query.validated_data["indicator"])
        asked = {"user": request.user, "indicator": indicator, "region": region}
        total, children = selectors.indicator_with_children(**asked, period=period)
        data = {"indicator": indicator, "period": str(period), "total": total, "children": children}
        months = query.validated_data.get("trend")
        if months:
            span = Period(add_months(period.end, 1 - months), period.end)
            data["trend"] = selectors.indicator_trend(**asked, period=span)
        return Response(IndicatorValuesSerializer(data).data)


class KpisView(APIView):
    """The built-in plan indicators for a region (default: yours) and period."""

    @extend_schema(parameters=[ValueQuerySerializer], responses=KpiSerializer(many=True))
    def get(self, request: Request) -> Response:
        region, period = _asked(request, ValueQuerySerializer(data=request.query_params))
        found = selectors.kpis(user=request.user, region=region, period=period)
        return Response(KpiSerializer(found, many=True).data)
