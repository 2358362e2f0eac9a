"""Shapes of the three lists and matching in the API. They check types and formats and turn
ids into objects the requesting user can see; every rule (sources, state machine, hard
constraints) is in the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.activities.models import Activity
from wushe.casework.models import Case, HomeVisit
from wushe.core.api import MAX_ID
from wushe.core.service_areas import ServiceArea
from wushe.groups.models import Group
from wushe.matching import solver
from wushe.matching.choices import NeedSource, ProjectStatus, Urgency
from wushe.matching.describe import next_best, remedy, why
from wushe.matching.models import (
    MatchRun,
    Need,
    OrganisationOffer,
    Proposal,
    ServiceProject,
    Task,
    UnmetNeed,
)
from wushe.matching.models.lists import MAX_CAPACITY, MAX_RADIUS_KM
from wushe.matching.models.runs import MAX_TASK_HOURS
from wushe.matching.selectors import need_list, stations
from wushe.matching.supply import matchable_volunteers
from wushe.people.selectors import resident_list
from wushe.regions.api.serializers import RegionField
from wushe.volunteers.choices import Tier
from wushe.volunteers.models import Skill

TEXT = 2000


def _user(field):
    return field.context["request"].user


@extend_schema_field({"type": "integer", "minimum": 1})
class VisibleIdField(serializers.IntegerField):
    """An id of an object the requesting user can see; anything else gets one message."""

    default_error_messages = {"does_not_exist": _("No such record.")}

    def __init__(self, *, visible, **kwargs) -> None:
        self.visible = visible
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        found = self.visible(_user(self)).filter(pk=pk).first() if 1 <= pk <= MAX_ID else None
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value) -> int:
        return value.pk if hasattr(value, "pk") else int(value)


def _visible(model):
    return lambda user: model.objects.visible_to(user)


class SkillCodesField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": _("No such skill: %(value)s.")}

    def __init__(self, **kwargs) -> None:
        if not kwargs.get("read_only"):
            kwargs["queryset"] = Skill.objects.all()
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        # PostgreSQL refuses a NUL byte in any text parameter (a DataError, so a 500): such a
        # code can name no skill, so it is refused as invalid before the lookup.
        if not isinstance(data, str) or "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


def _skills(**kwargs) -> serializers.ManyRelatedField:
    return SkillCodesField(many=True, **kwargs)


def _coordinate(limit: int) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        required=False,
        allow_null=True,
    )


class NeedSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    resident_name = serializers.CharField(source="resident.name", read_only=True, default=None)
    group_name = serializers.CharField(source="group.name", read_only=True, default=None)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    service_area_label = serializers.CharField(source="get_service_area_display", read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    skills = _skills(read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Need
        fields = [
            "id", "station", "station_name", "source", "source_label", "visit", "case",
            "activity", "request_note", "resident", "resident_name", "group", "group_name",
            "service_area", "service_area_label", "skills", "urgency", "urgency_label",
            "date_from", "date_to", "window", "region", "region_name", "latitude", "longitude",
            "address", "description", "status", "status_label", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class NeedInputSerializer(serializers.Serializer):
    """A new need (POST, PUT) or changes to an open one (PATCH: only the fields sent)."""

    station = VisibleIdField(visible=lambda user: stations(user=user), help_text="Station id.")
    source = serializers.ChoiceField(NeedSource.choices, required=False)
    visit = VisibleIdField(visible=_visible(HomeVisit), required=False, allow_null=True)
    case = VisibleIdField(visible=_visible(Case), required=False, allow_null=True)
    activity = VisibleIdField(visible=_visible(Activity), required=False, allow_null=True)
    request_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    resident = VisibleIdField(
        visible=lambda user: resident_list(user=user), required=False, allow_null=True
    )
    group = VisibleIdField(visible=_visible(Group), required=False, allow_null=True)
    service_area = serializers.ChoiceField(ServiceArea.choices)
    skills = _skills(required=False, help_text="Skill codes, e.g. meals, medical_escort.")
    urgency = serializers.ChoiceField(Urgency.choices, required=False)
    date_from = serializers.DateField()
    date_to = serializers.DateField(required=False, allow_null=True)
    window = serializers.IntegerField(
        min_value=0, max_value=solver.ALL_WEEK, required=False,
        help_text="21-bit weekly mask, bit day*3+part (Monday = 0); 0 = any time.",
    )  # fmt: skip
    region = RegionField(
        required=False,
        help_text="The place: the station's township or one of its villages.",
    )
    latitude = _coordinate(90)
    longitude = _coordinate(180)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=TEXT)


class OfferSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    skills = _skills(read_only=True)
    open_tasks = serializers.IntegerField(read_only=True)

    class Meta:
        model = OrganisationOffer
        fields = [
            "id", "organisation", "organisation_name", "station", "station_name",
            "service_areas", "skills", "capacity", "open_tasks", "radius_km", "availability",
            "latitude", "longitude", "active", "notes", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class OfferInputSerializer(serializers.Serializer):
    organisation = VisibleIdField(visible=lambda user: _organisations(user))
    station = VisibleIdField(visible=lambda user: stations(user=user))
    service_areas = serializers.ListField(
        child=serializers.ChoiceField(ServiceArea.choices),
        required=False,
        max_length=20,
    )
    skills = _skills(required=False)
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, required=False)
    radius_km = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=0,
        max_value=MAX_RADIUS_KM,
        required=False,
    )
    availability = serializers.IntegerField(min_value=0, max_value=solver.ALL_WEEK, required=False)
    latitude = _coordinate(90)
    longitude = _coordinate(180)
    active = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)


def _organisations(user):
    from wushe.organisations.models import Organisation

    return Organisation.objects.visible_to(user)


class ProjectSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    service_area_label = serializers.CharField(source="get_service_area_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    need_count = serializers.IntegerField(read_only=True)
    needs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ServiceProject
        fields = [
            "id", "station", "station_name", "name", "service_area", "service_area_label",
            "target_group", "period_from", "period_to", "capacity", "status", "status_label",
            "description", "need_count", "needs", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class NeedsField(serializers.ListField):
    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    default_error_messages = {"does_not_exist": _("No such need.")}

    def to_internal_value(self, data) -> list:
        ids = set(super().to_internal_value(data))
        found = list(need_list(user=_user(self)).filter(pk__in=ids))
        if len(found) != len(ids):
            self.fail("does_not_exist")
        return found


class ProjectInputSerializer(serializers.Serializer):
    station = VisibleIdField(visible=lambda user: stations(user=user))
    name = serializers.CharField(max_length=100)
    service_area = serializers.ChoiceField(ServiceArea.choices)
    target_group = serializers.CharField(max_length=200)
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    capacity = serializers.IntegerField(min_value=0, max_value=1_000_000)
    status = serializers.ChoiceField(ProjectStatus.choices, required=False)
    description = serializers.CharField(max_length=TEXT, required=False, allow_blank=True)
    needs = NeedsField(required=False, max_length=5000, help_text="Need ids.")


class RunInputSerializer(serializers.Serializer):
    station = VisibleIdField(visible=lambda user: stations(user=user), required=False)
    county = RegionField(required=False, help_text="A county's code (instead of a station).")
    dry_run = serializers.BooleanField(default=False)


class RunSerializer(serializers.ModelSerializer):
    actor_name = serializers.StringRelatedField(source="actor")

    class Meta:
        model = MatchRun
        fields = [
            "id", "actor", "actor_name", "started_at", "station", "region_code", "week_of",
            "needs_count", "suppliers_count", "met", "met_urgent", "unmet_count", "cost",
            "seconds",
        ]  # fmt: skip
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    need_description = serializers.CharField(source="need.description", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True, default=None)
    organisation_name = serializers.CharField(
        source="offer.organisation.name", read_only=True, default=None
    )
    why = serializers.SerializerMethodField()
    next_best = serializers.SerializerMethodField()
    task = serializers.IntegerField(source="task.pk", read_only=True, default=None)

    class Meta:
        model = Proposal
        fields = [
            "id", "run", "need", "need_description", "volunteer", "volunteer_name", "offer",
            "organisation_name", "cost", "distance_km", "skill_fit", "load", "why",
            "next_volunteer", "next_offer", "next_cost", "next_distance_km", "next_taken",
            "next_best", "status", "edited", "task",
        ]  # fmt: skip
        read_only_fields = fields

    def get_why(self, proposal: Proposal) -> str:
        return why(proposal)

    def get_next_best(self, proposal: Proposal) -> str:
        return next_best(proposal)


class UnmetSerializer(serializers.ModelSerializer):
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    remedy = serializers.SerializerMethodField()

    class Meta:
        model = UnmetNeed
        fields = ["id", "run", "need", "reason", "reason_label", "candidates", "remedy"]
        read_only_fields = fields

    def get_remedy(self, unmet: UnmetNeed) -> str:
        return remedy(unmet)


class SupplierInputSerializer(serializers.Serializer):
    """A hand edit: one volunteer or one organisation offer."""

    volunteer = VisibleIdField(
        visible=lambda user: matchable_volunteers(user=user),
        required=False,
        allow_null=True,
    )
    offer = VisibleIdField(visible=_visible(OrganisationOffer), required=False, allow_null=True)

    def validate(self, data):
        if bool(data.get("volunteer")) == bool(data.get("offer")):
            raise serializers.ValidationError(_("Choose one volunteer or one organisation offer."))
        return data


class TaskSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True, default=None)
    organisation_name = serializers.CharField(
        source="offer.organisation.name", read_only=True, default=None
    )

    class Meta:
        model = Task
        fields = [
            "id", "need", "volunteer", "volunteer_name", "offer", "organisation_name",
            "proposal", "status", "status_label", "offered_at", "answered_at", "completed_at",
            "served_on", "hours", "tier",
        ]  # fmt: skip
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(["accept", "decline"])


class CompleteSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=MAX_TASK_HOURS
    )
    tier = serializers.ChoiceField(Tier.choices, required=False, allow_blank=True)
