"""Serializers of the indicators API. They shape input and output; the services decide."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from wushe.indicators import elements
from wushe.indicators.models import DataElement, EnteredValue, Indicator, Target
from wushe.regions.api.serializers import RegionBriefSerializer, RegionField

VALUE = {"max_digits": 18, "decimal_places": 2, "coerce_to_string": False}
YEAR = {"min_value": 1949, "max_value": 2999}
ELEMENT_CODE = {"max_length": 40}


class DataElementSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True, help_text="records or entered.")
    period_kind = serializers.CharField(read_only=True, help_text="stock or flow.")
    available = serializers.SerializerMethodField(help_text="Whether it can be computed here.")

    class Meta:
        model = DataElement
        fields = [
            "code",
            "name",
            "name_zh",
            "name_en",
            "unit",
            "source",
            "period_kind",
            "description",
            "built_in",
            "region_code",
            "available",
        ]
        read_only_fields = ["source", "period_kind", "built_in", "region_code"]
        extra_kwargs = {"code": {"validators": []}}  # the service says "already in use"

    def get_available(self, element: DataElement) -> bool:
        return element.is_entered or elements.element_function(element.code) is not None


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    numerator = serializers.CharField(
        source="numerator_id", help_text="A data element's code.", **ELEMENT_CODE
    )
    denominator = serializers.CharField(
        source="denominator_id",
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="A data element's code; null for a plain total.",
        **ELEMENT_CODE,
    )
    factor = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, required=False
    )
    # Text, not enums, here and below: other apps' "direction" and "source" choices would clash
    # in the schema's names. The service refuses anything but "higher" and "lower".
    direction = serializers.CharField(
        required=False, max_length=10, help_text="higher (the default) or lower is better."
    )
    formula = serializers.CharField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_zh",
            "name_en",
            "numerator",
            "denominator",
            "factor",
            "formula",
            "unit",
            "direction",
            "description",
            "source",
            "built_in",
            "position",
            "region_code",
        ]
        read_only_fields = ["built_in", "position", "region_code"]
        extra_kwargs = {"code": {"validators": []}}

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        if "numerator_id" in data:
            data["numerator"] = data.pop("numerator_id")
        if "denominator_id" in data:
            data["denominator"] = data.pop("denominator_id") or None
        return data


class EnteredValueSerializer(serializers.ModelSerializer):
    region = RegionField(help_text="Division code: 2, 4, 6, 9 or 12 digits.")
    element = serializers.CharField(
        source="element_id", help_text="An entered data element's code.", **ELEMENT_CODE
    )
    year = serializers.IntegerField(**YEAR)
    value = serializers.DecimalField(min_value=Decimal(0), **VALUE)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = EnteredValue
        fields = ["id", "region", "year", "element", "value", "note", "entered_by", "updated_at"]
        read_only_fields = ["updated_at"]
        validators: list = []  # one figure per key: the service updates the existing one


class TargetSerializer(serializers.ModelSerializer):
    region = RegionField(help_text="Division code: 2, 4, 6, 9 or 12 digits.")
    indicator = serializers.CharField(
        source="indicator.code", help_text="The indicator's code.", **ELEMENT_CODE
    )
    year = serializers.IntegerField(help_text="By the end of this year.", **YEAR)
    value = serializers.DecimalField(min_value=Decimal(0), **VALUE)
    base_year = serializers.IntegerField(required=False, allow_null=True, **YEAR)
    base_value = serializers.DecimalField(
        required=False, allow_null=True, min_value=Decimal(0), **VALUE
    )
    set_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "region",
            "indicator",
            "year",
            "value",
            "base_year",
            "base_value",
            "source",
            "set_by",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list = []


class AttainmentSerializer(serializers.Serializer):
    """One indicator for one region's subtree and period, against its target."""

    region = RegionBriefSerializer()
    period = serializers.CharField(help_text="YYYY, YYYY-MM or YYYY-MM..YYYY-MM.")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    value = serializers.FloatField(allow_null=True, help_text="null: no data (无数据).")
    target = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    target_region = serializers.CharField(
        source="target_region_code", allow_null=True, help_text="Where the target was set."
    )
    inherited = serializers.BooleanField(help_text="The target was set by a region above.")
    expected = serializers.FloatField(allow_null=True, help_text="Where the path is by now.")
    gap = serializers.FloatField(allow_null=True, help_text="Shortfall; ≤ 0 when met.")
    # Text, not an enum: "status" enums of other apps would clash in the schema's names.
    status = serializers.CharField(help_text="met, on_track, behind, no_data or no_target.")
    status_label = serializers.CharField()


class IndicatorBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    formula = serializers.CharField(read_only=True)
    direction = serializers.CharField(read_only=True, help_text="higher or lower is better.")

    class Meta:
        model = Indicator
        fields = ["code", "name", "formula", "unit", "direction", "source"]


class IndicatorValuesSerializer(serializers.Serializer):
    indicator = IndicatorBriefSerializer()
    period = serializers.CharField()
    total = AttainmentSerializer(help_text="The region's own subtree.")
    children = AttainmentSerializer(many=True, help_text="Each child region, in code order.")
    trend = AttainmentSerializer(many=True, required=False, help_text="With ?trend=N months.")


class KpiSerializer(AttainmentSerializer):
    indicator = IndicatorBriefSerializer()
