"""The resources list (资源清单) in the API, as on its page: the volunteers a station can draw
on (skills, time offered, tasks a week and this week's load, radius), the organisations'
offers, and the charity resources (funds' balances, goods in stock), all from the user's
subtree, or one station's (``?station=<id>``). Each part holds at most ``resources.SHOWN``
rows; ``/api/volunteers/``, ``/api/organisation-offers/``, ``/api/community-funds/`` and
``/api/goods/`` page through everything."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.core.api_fields import VisibleIdField
from wushe.matching import resources
from wushe.matching.api.serializers import OfferSerializer
from wushe.matching.selectors import stations


class StationField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such station.")}

    def visible(self):
        return stations(user=self.context["request"].user)


class ResourcesQuerySerializer(serializers.Serializer):
    station = StationField(required=False, help_text="Id of a station; default: all you see.")


class VolunteerOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    skills = serializers.SerializerMethodField()
    availability = serializers.IntegerField(help_text="21 bits: day * 3 + part.")
    hours_per_week = serializers.IntegerField(allow_null=True)
    capacity = serializers.IntegerField(help_text="Tasks a week.")
    load = serializers.IntegerField(help_text="Tasks offered or under way this week.")
    radius_km = serializers.DecimalField(max_digits=5, decimal_places=1)

    def get_skills(self, volunteer) -> list[str]:
        return [skill.code for skill in volunteer.skills.all()]


class FundBalanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)


class GoodsStockSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")


class ResourcesSerializer(serializers.Serializer):
    station = serializers.IntegerField(allow_null=True)
    volunteers = VolunteerOfferSerializer(many=True)
    offers = OfferSerializer(many=True)
    funds = FundBalanceSerializer(many=True)
    goods = GoodsStockSerializer(many=True)


class ResourcesView(APIView):
    @extend_schema(parameters=[ResourcesQuerySerializer], responses=ResourcesSerializer)
    def get(self, request: Request) -> Response:
        """资源清单: volunteers, organisations' offers and charity resources in reach."""
        form = ResourcesQuerySerializer(data=request.query_params, context={"request": request})
        form.is_valid(raise_exception=True)
        station = form.validated_data.get("station")
        listing = resources.resources_of(user=request.user, station=station)
        body = {"station": station.pk if station else None, **listing}
        return Response(ResourcesSerializer(body).data)
