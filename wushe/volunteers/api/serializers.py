"""Shapes of volunteers, their ledger, skills and teams in the API. They check types and
formats only; the ID number, phone, village, coordinates, amounts, scope and roles are checked
by the services. Output never holds a full ID number or phone."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.core.api_fields import VisibleIdField
from wushe.people.choices import Gender
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.regions.api.serializers import RegionField
from wushe.volunteers.certificates import issuer_choices
from wushe.volunteers.choices import (
    ALL_WEEK,
    MAX_CAPACITY,
    MAX_RADIUS_KM,
    MAX_WEEK_HOURS,
    SLOTS,
    Status,
    Tier,
)
from wushe.volunteers.models import Certificate, LedgerEntry, Skill, Volunteer, VolunteerTeam

NUMBER_LENGTH = 40


def _text(max_length: int, **kwargs) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(max_length=max_length, **kwargs)


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "code", "name", "bit", "active"]
        read_only_fields = ["id", "bit"]
        extra_kwargs = {"code": {"validators": []}, "name": {"validators": []}}


class SkillUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40, required=False)
    active = serializers.BooleanField(required=False)


class VolunteerSerializer(serializers.ModelSerializer):
    """A volunteer as the API shows it: ID number and phone masked; hours and points are the
    sums of the ledger."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    skills = serializers.SerializerMethodField()
    availability_slots = serializers.SerializerMethodField(
        help_text="The availability's set bits: day * 3 + part (Monday = 0; morning, "
        "afternoon, evening)."
    )
    has_account = serializers.SerializerMethodField()
    total_hours = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    total_points = serializers.IntegerField(read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "number",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "region",
            "region_name",
            "latitude",
            "longitude",
            "skills",
            "availability",
            "availability_slots",
            "capacity",
            "hours_per_week",
            "radius_km",
            "status",
            "has_account",
            "note",
            "total_hours",
            "total_points",
            "registered_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "example": "440305********013X"})
    def get_id_number(self, volunteer: Volunteer) -> str:
        return mask_id_number(volunteer.id_number)

    @extend_schema_field({"type": "string", "example": "138****5678"})
    def get_phone(self, volunteer: Volunteer) -> str:
        return mask_phone(volunteer.phone)

    def get_skills(self, volunteer: Volunteer) -> list[str]:
        return [skill.code for skill in volunteer.skills.all()]

    def get_availability_slots(self, volunteer: Volunteer) -> list[int]:
        return [bit for bit in range(SLOTS) if volunteer.availability >> bit & 1]

    def get_has_account(self, volunteer: Volunteer) -> bool:
        return volunteer.user_id is not None


class SummarySerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    points = serializers.IntegerField()
    stars = serializers.IntegerField(help_text="星级, 0 to 5, by cumulative hours.")
    next_star_hours = serializers.IntegerField(allow_null=True)


class VolunteerDetailSerializer(VolunteerSerializer):
    summary = serializers.SerializerMethodField()
    other_roles = serializers.SerializerMethodField(
        help_text="The same person's other records you may see, by role "
        "(resident, social_worker, donor): their ids."
    )

    class Meta(VolunteerSerializer.Meta):
        fields = [*VolunteerSerializer.Meta.fields, "summary", "other_roles"]
        read_only_fields = fields

    @extend_schema_field(SummarySerializer)
    def get_summary(self, volunteer: Volunteer) -> dict:
        return SummarySerializer(self.context["summary"]).data

    @extend_schema_field(
        serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    )
    def get_other_roles(self, volunteer: Volunteer) -> dict:
        held = self.context.get("roles", {})
        return {
            name: [row.pk for row in rows] for name, rows in held.items() if name != "volunteer"
        }


class VolunteerUpdateSerializer(serializers.Serializer):
    """Changes to a volunteer (PATCH): only the fields sent are changed."""

    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(
        Gender.choices, required=False, allow_blank=True, help_text="Empty: from the ID number."
    )
    id_number = serializers.CharField(
        max_length=NUMBER_LENGTH, help_text="GB 11643: 18 characters (or 15)."
    )
    phone = serializers.CharField(max_length=NUMBER_LENGTH)
    region = RegionField(help_text=_("Code of the home village or community."))
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True
    )
    skills = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=64,
        help_text="Skill codes, e.g. visiting, meals.",
    )
    availability = serializers.IntegerField(
        min_value=0, max_value=ALL_WEEK, required=False, help_text="21 bits: day * 3 + part."
    )
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, required=False)
    hours_per_week = serializers.IntegerField(
        min_value=0, max_value=MAX_WEEK_HOURS, required=False, allow_null=True
    )
    radius_km = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal(0),
        max_value=Decimal(MAX_RADIUS_KM),
        required=False,
    )
    status = serializers.ChoiceField(Status.choices, required=False)
    note = _text(2000)


class VolunteerCreateSerializer(VolunteerUpdateSerializer):
    status = None  # a new volunteer is active


class VolunteerSearchSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=50, help_text="Name, pinyin, initials, volunteer number or a full ID number."
    )


class LedgerEntrySerializer(serializers.ModelSerializer):
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "kind",
            "occurred_on",
            "hours",
            "points",
            "tier",
            "content",
            "activity",
            "task_ref",
            "reverses",
            "reversed_by",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    def get_reversed_by(self, entry: LedgerEntry) -> int | None:
        correction = getattr(entry, "reversed_by", None)
        return correction.pk if correction else None


class OwnEntrySerializer(LedgerEntrySerializer):
    """An entry as its volunteer sees it: without the staff's notes."""

    class Meta(LedgerEntrySerializer.Meta):
        fields = [name for name in LedgerEntrySerializer.Meta.fields if name != "note"]
        read_only_fields = fields


class ServiceSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    hours = serializers.CharField(max_length=20, help_text="0 to 24, two places, e.g. 2.5")
    tier = serializers.ChoiceField(Tier.choices, default=Tier.BASIC)
    content = _text(200, help_text="Empty: the activity's theme.")
    activity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    task_ref = _text(64)
    note = _text(500)


class HonourSerializer(serializers.Serializer):
    occurred_on = serializers.DateField()
    hours = serializers.CharField(max_length=20)
    content = serializers.CharField(max_length=200)
    note = _text(500)


class RedeemSerializer(serializers.Serializer):
    points = serializers.IntegerField(min_value=1)
    content = serializers.CharField(max_length=200, help_text="What the points were exchanged for.")
    occurred_on = serializers.DateField(required=False, allow_null=True)
    note = _text(500)


class CorrectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = ["id", "number", "hours", "issuer", "issued_on", "issued_at"]
        read_only_fields = fields


@extend_schema_field({"type": "integer", "minimum": 1})
class IssuerSiteField(VisibleIdField):
    """An operating site of the user's subtree, named as the certificate's issuer."""

    default_error_messages = {"does_not_exist": _("No such site.")}

    def visible(self):
        return issuer_choices(self.context["request"].user)


class InviteSerializer(serializers.Serializer):
    """A portal account for the volunteer; the password is checked by the password rules."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class AccountSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    region = serializers.CharField(source="region_id")


class CertificateIssueSerializer(serializers.Serializer):
    issuer_site = IssuerSiteField(
        required=False,
        allow_null=True,
        help_text="Id of the issuing site; default: the volunteer's own station.",
    )


class TeamSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    leader = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = VolunteerTeam
        fields = ["id", "name", "region", "region_name", "leader", "members", "note", "created_at"]
        read_only_fields = fields

    def get_leader(self, team: VolunteerTeam) -> str | None:
        return team.leader.number if team.leader_id else None

    def get_members(self, team: VolunteerTeam) -> list[str]:
        return sorted(member.number for member in team.members.all())


class TeamInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    region = RegionField(help_text=_("A county, township or village code."))
    members = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        max_length=2000,
        help_text="Volunteer numbers.",
    )
    leader = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    note = _text(2000)


class VolunteerMeSerializer(serializers.Serializer):
    """The signed-in volunteer's own summary (the portal API)."""

    number = serializers.CharField()
    name = serializers.CharField()
    region_name = serializers.CharField()
    summary = SummarySerializer()
    entries = OwnEntrySerializer(many=True)
    certificates = CertificateSerializer(many=True)
