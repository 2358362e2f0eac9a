"""Shapes of social organisations in the API. They check types and formats and turn codes and
ids into objects the requesting user can see; every rule (credit code, phone, scope, dates,
who may change the status) is in the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.core.api import MAX_ID
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import NOTE_LENGTH, OrganisationStatus, OrganisationType
from wushe.organisations.models import IncubationPeriod, Organisation
from wushe.organisations.selectors import incubation_sites
from wushe.regions.api.serializers import RegionField

CODE_LENGTH = 40  # room for spaces typed inside a code; the service normalises it


@extend_schema_field({"type": "integer", "minimum": 1})
class SiteField(serializers.IntegerField):
    """A site the requesting user can see, by id; anything else gets one message."""

    default_error_messages = {"does_not_exist": _("No such site.")}

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        user = self.context["request"].user
        found = incubation_sites(user=user).filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value) -> int:
        return value.pk if hasattr(value, "pk") else int(value)


class IncubationSerializer(serializers.ModelSerializer):
    base = serializers.CharField(read_only=True)

    class Meta:
        model = IncubationPeriod
        fields = ["id", "site", "base_name", "base", "entered_on", "left_on", "note"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    service_areas = serializers.SerializerMethodField()
    incubating = serializers.BooleanField(read_only=True, help_text="In an incubation base now.")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "service_areas",
            "contact_person",
            "contact_phone",
            "address",
            "founded_on",
            "status",
            "status_label",
            "note",
            "incubating",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_service_areas(self, organisation: Organisation) -> list[str]:
        return [row.area for row in organisation.service_areas.all()]


class OrganisationDetailSerializer(OrganisationSerializer):
    incubations = IncubationSerializer(many=True, read_only=True)

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "incubations"]
        read_only_fields = fields


class OrganisationInputSerializer(serializers.Serializer):
    """A new organisation (POST) or changes to one (PATCH: only the fields sent)."""

    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(
        max_length=CODE_LENGTH,
        required=False,
        allow_blank=True,
        help_text="统一社会信用代码, 18 characters; a community organisation may have none.",
    )
    kind = serializers.ChoiceField(OrganisationType.choices)
    region = RegionField(help_text="Code of the region where it is registered or filed.")
    service_areas = serializers.ListField(
        child=serializers.ChoiceField(ServiceArea.choices), min_length=1, max_length=20
    )
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=CODE_LENGTH, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(
        OrganisationStatus.choices, required=False, help_text="A manager or administrator only."
    )
    note = serializers.CharField(max_length=NOTE_LENGTH, required=False, allow_blank=True)


class IncubationEnterSerializer(serializers.Serializer):
    site = SiteField(required=False, allow_null=True, help_text="Id of a site that is the base.")
    base_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="A base that is not a site."
    )
    entered_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class IncubationLeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()
