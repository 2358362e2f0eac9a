"""Shapes of residents' files and consents in the API. They check types and formats only; the
ID number, phones, categories, consent rules, scope and roles are checked by people.services.

Output never holds a full ID number or phone: those come masked, and in full only from the
audited ``unmask`` endpoint.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from wushe.people.choices import Category, ConsentGiver, ConsentMethod, Gender, RiskLevel
from wushe.people.forms import CONSENT_FIELDS, NOTES_LENGTH, NUMBER_LENGTH
from wushe.people.identity import mask_id_number
from wushe.people.models import Consent, Resident
from wushe.people.phones import mask_phone
from wushe.regions.api.serializers import RegionField


def _optional_text(max_length: int | None = None) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True)


@extend_schema_field({"type": "string", "example": "440305********013X"})
class MaskedIdNumberField(serializers.Field):
    def to_representation(self, value: str) -> str:
        return mask_id_number(value) if value else ""


@extend_schema_field({"type": "string", "example": "138****5678"})
class MaskedPhoneField(serializers.Field):
    def to_representation(self, value: str) -> str:
        return mask_phone(value) if value else ""


class ResidentSerializer(serializers.ModelSerializer):
    """A file as the API shows it: ID number and phones masked, health notes only said to be
    there (they are read on the file's page, by roles that may)."""

    id_number = MaskedIdNumberField(read_only=True)
    phone = MaskedPhoneField(read_only=True)
    guardian_phone = MaskedPhoneField(read_only=True)
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    age = serializers.SerializerMethodField()
    elderly = serializers.SerializerMethodField(help_text="高龄: 80 or older today.")
    categories = serializers.SerializerMethodField()
    risk_level_label = serializers.CharField(source="get_risk_level_display", read_only=True)
    has_health_notes = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "gender",
            "gender_label",
            "age",
            "elderly",
            "id_number",
            "phone",
            "region",
            "region_name",
            "address",
            "categories",
            "disability_grade",
            "guardian_name",
            "guardian_relation",
            "guardian_phone",
            "risk_level",
            "risk_level_label",
            "notes",
            "has_health_notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_age(self, resident: Resident) -> int:
        return resident.age_on(timezone.localdate())

    def get_elderly(self, resident: Resident) -> bool:
        return resident.is_elderly(timezone.localdate())

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Category.choices)))
    def get_categories(self, resident: Resident) -> list[str]:
        return sorted(category.category for category in resident.categories.all())

    def get_has_health_notes(self, resident: Resident) -> bool:
        return bool(resident.health_notes)


class ConsentInputSerializer(serializers.Serializer):
    given_by = serializers.ChoiceField(ConsentGiver.choices)
    giver_name = serializers.CharField(max_length=50)
    method = serializers.ChoiceField(ConsentMethod.choices)
    text_version = serializers.CharField(max_length=20)
    given_on = serializers.DateField()


class ConsentSerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "given_by",
            "giver_name",
            "method",
            "text_version",
            "given_on",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "active",
        ]
        read_only_fields = fields


class ResidentUpdateSerializer(serializers.Serializer):
    """Changes to a file (PATCH): only the fields sent are changed."""

    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(
        Gender.choices, required=False, allow_blank=True, help_text="Empty: from the ID number."
    )
    id_number = serializers.CharField(
        max_length=NUMBER_LENGTH, help_text="GB 11643: 18 characters (or 15)."
    )
    phone = _optional_text(NUMBER_LENGTH)
    region = RegionField(help_text=_("Code of the home village or community."))
    address = _optional_text(200)
    categories = serializers.ListField(
        child=serializers.ChoiceField(Category.choices), required=False, max_length=30
    )
    disability_grade = serializers.IntegerField(
        min_value=1, max_value=4, required=False, allow_null=True
    )
    guardian_name = _optional_text(50)
    guardian_relation = _optional_text(20)
    guardian_phone = _optional_text(NUMBER_LENGTH)
    risk_level = serializers.ChoiceField(RiskLevel.choices, required=False)
    notes = _optional_text(NOTES_LENGTH)
    health_notes = _optional_text(NOTES_LENGTH)


class ResidentCreateSerializer(ResidentUpdateSerializer):
    """A new file (建档), with an optional consent (needed for health notes)."""

    consent = ConsentInputSerializer(required=False, allow_null=True)


class SearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=50, help_text="Name, pinyin, initials or a full ID number (exact match)."
    )


class UnmaskSerializer(serializers.Serializer):
    field = serializers.ChoiceField(["id_number", "phone", "guardian_phone"])


class UnmaskedSerializer(serializers.Serializer):
    value = serializers.CharField()


def nested_consent_errors(
    error: DjangoValidationError, names: tuple[str, ...] = CONSENT_FIELDS
) -> Exception:
    """A service's errors about the consent, under ``consent`` as they were sent."""
    if not hasattr(error, "error_dict"):
        return error
    messages = error.message_dict
    consent = {key: value for key, value in messages.items() if key in names}
    if not consent:
        return error
    rest = {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): value
        for key, value in messages.items()
        if key not in names
    }
    return serializers.ValidationError({**rest, "consent": consent})
