"""Shapes of regions, sites and coverage in the API. They check types and formats only; the
rules (levels, scope, duplicates, who may write) are in services.py and the models."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.accounts.models import User
from wushe.core.api import MAX_ID
from wushe.regions import codes
from wushe.regions.models import Region, Site
from wushe.regions.selectors import Coverage

CODE_PATTERN = r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$"


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN, "example": "440305"})
class DivisionCodeField(serializers.CharField):
    """A division code in any of its 2/4/6/9/12-digit forms, read as the 12-digit code."""

    def to_internal_value(self, data) -> str:
        try:
            return codes.normalize_code(super().to_internal_value(data))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class RegionField(DivisionCodeField):
    """A region the requesting user can see, given by its code. Regions outside the user's
    subtree and codes that name nothing get the same message."""

    default_error_messages = {"does_not_exist": _("No such region.")}

    def to_internal_value(self, data) -> Region:
        code = super().to_internal_value(data)
        user = self.context["request"].user
        region = Region.objects.visible_to(user).filter(code=code).first()
        if region is None:
            self.fail("does_not_exist")
        return region

    def to_representation(self, value) -> str:
        return value.code if isinstance(value, Region) else str(value)


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class RegionSerializer(serializers.ModelSerializer):
    display_code = serializers.CharField(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = [
            "code",
            "display_code",
            "name",
            "level",
            "level_label",
            "parent",
            "township_count",
            "village_count",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_parent(self, region: Region) -> str | None:
        # The parent of the user's own region is above the subtree: not shown.
        parent = region.parent_id
        return parent if parent and self.context["request"].user.can_see_code(parent) else None


class CoverageSerializer(serializers.Serializer):
    region = RegionBriefSerializer()
    townships = serializers.IntegerField()
    stations = serializers.IntegerField(help_text="Operating township stations.")
    station_rate = serializers.FloatField(allow_null=True, help_text="Percent, or null.")
    villages = serializers.IntegerField()
    rooms = serializers.IntegerField(help_text="Operating village rooms.")
    room_rate = serializers.FloatField(allow_null=True, help_text="Percent, or null.")
    centres = serializers.IntegerField(help_text="Operating guidance centres.")


class NodeCoverageSerializer(CoverageSerializer):
    """A node's coverage with one line per child (the children come in the context)."""

    children = serializers.SerializerMethodField()

    @extend_schema_field(CoverageSerializer(many=True))
    def get_children(self, coverage: Coverage) -> list:
        return CoverageSerializer(self.context["children"], many=True).data


class StaffField(serializers.ListField):
    """Staff as a list of user ids; only users the requesting user can see."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    default_error_messages = {"does_not_exist": _("No such user.")}

    def to_internal_value(self, data) -> list[User]:
        ids = set(super().to_internal_value(data))
        user = self.context["request"].user
        found = list(User.objects.visible_to(user).filter(pk__in=ids))
        if len(found) != len(ids):
            self.fail("does_not_exist")
        return found

    def to_representation(self, staff) -> list[int]:
        user = self.context["request"].user
        return [person.pk for person in staff.all() if user.can_see_code(person.region_id or "")]


class SiteSerializer(serializers.ModelSerializer):
    region = RegionField(help_text=_("Division code (2, 4, 6, 9 or 12 digits)."))
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    staff = StaffField(required=False, max_length=500, help_text="User ids.")
    six_haves_met = serializers.IntegerField(read_only=True)

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "address",
            "opened_on",
            "floor_area",
            "operator",
            "status",
            "status_label",
            "staff",
            "has_venue",
            "venue_note",
            "has_facilities",
            "facilities_note",
            "has_personnel",
            "personnel_note",
            "has_services",
            "services_note",
            "has_procedures",
            "procedures_note",
            "has_rules",
            "rules_note",
            "six_haves_met",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # A negative area is refused by the model (one rule, shared with the pages).
        extra_kwargs = {"floor_area": {"min_value": None}}

    def get_validators(self) -> list:
        # The one-open-site-per-region rule is checked by the service (Model.full_clean).
        return []
