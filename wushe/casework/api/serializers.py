"""Shapes of visits, cases, case records, visit frequencies and overdue visits in the API.
They check types and formats only; dates, scope, stages and roles are checked by the casework
services. Lists hold no notes: findings and case texts come only with one object, whose opening
is an audit-log view."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.accounts.models import User
from wushe.casework.case_services import MAX_MINUTES
from wushe.casework.cases import Method, Stage, next_stage
from wushe.casework.forms import NOTES_LENGTH
from wushe.casework.models import Case, CaseRecord, HomeVisit, VisitFrequency
from wushe.casework.services import can_read_notes
from wushe.core.api import MAX_ID
from wushe.people.choices import Category
from wushe.people.selectors import resident_list
from wushe.regions.api.serializers import RegionField
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region
from wushe.regions.selectors import site_list


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=NOTES_LENGTH, required=False, allow_blank=True, **kwargs
    )


class _ObjectIdField(serializers.IntegerField):
    """An object the requesting user can see, given by its id; ids outside the database's
    range and objects out of sight get the same "no such …" message."""

    default_error_messages = {"does_not_exist": _("No such object.")}

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def run_validation(self, data=serializers.empty):
        pk = super().run_validation(data)  # a whole number in range, or the field's error
        if pk is None:
            return None
        found = self.visible(self.context["request"].user).filter(pk=pk).first()
        if found is None:
            self.fail("does_not_exist")
        return found

    def visible(self, user):
        raise NotImplementedError


class ResidentIdField(_ObjectIdField):
    default_error_messages = {"does_not_exist": _("No such resident.")}

    def visible(self, user):
        return resident_list(user=user)


class UserIdField(_ObjectIdField):
    default_error_messages = {"does_not_exist": _("No such user.")}

    def visible(self, user):
        return User.objects.visible_to(user)


class NotesField(serializers.CharField):
    """Personal notes: ``null`` for a role that may not read them (an auditor)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        if not can_read_notes(self.context["request"].user):
            return None
        return super().get_attribute(instance)


# Visits -----------------------------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    region = serializers.CharField(source="region_code", read_only=True)
    workers = serializers.SerializerMethodField()

    class Meta:
        model = HomeVisit
        fields = [
            "id",
            "resident",
            "resident_name",
            "region",
            "visited_on",
            "workers",
            "next_visit_on",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_workers(self, visit: HomeVisit) -> list[int]:
        return sorted(worker.pk for worker in visit.workers.all())


class VisitDetailSerializer(VisitSerializer):
    findings = NotesField()
    needs_found = NotesField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "findings", "needs_found"]
        read_only_fields = fields


class VisitUpdateSerializer(serializers.Serializer):
    """Changes to a visit (PATCH): only the fields sent are changed."""

    visited_on = serializers.DateField()
    workers = serializers.ListField(
        child=UserIdField(), min_length=1, max_length=50, help_text="User ids."
    )
    findings = _text()
    needs_found = _text()
    next_visit_on = serializers.DateField(allow_null=True, required=False)


class VisitCreateSerializer(VisitUpdateSerializer):
    """入户走访 for a resident; ``workers`` defaults to the requesting user."""

    resident = ResidentIdField()
    workers = serializers.ListField(
        child=UserIdField(), required=False, max_length=50, help_text="User ids."
    )


# Cases ------------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    region = serializers.CharField(source="region_code", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    next_stage = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "resident",
            "resident_name",
            "region",
            "worker",
            "stage",
            "stage_label",
            "next_stage",
            "opened_on",
            "closed_on",
            "signed_off_by",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(Stage.choices, allow_null=True, help_text="null once closed")
    )
    def get_next_stage(self, case: Case) -> str | None:
        target = next_stage(case.stage)
        return target.value if target else None


class CaseDetailSerializer(CaseSerializer):
    problem = NotesField()
    assessment = NotesField()
    plan = NotesField()
    evaluation = NotesField()
    closing_summary = NotesField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "problem",
            "assessment",
            "plan",
            "evaluation",
            "closing_summary",
        ]
        read_only_fields = fields


class CaseOpenSerializer(serializers.Serializer):
    """接案: ``opened_on`` defaults to today, ``worker`` to the requesting user."""

    resident = ResidentIdField()
    problem = serializers.CharField(max_length=NOTES_LENGTH)
    opened_on = serializers.DateField(required=False)
    worker = UserIdField(required=False)


class CaseAdvanceSerializer(serializers.Serializer):
    """The fields the next stage requires (预估: assessment, 计划: plan, 评估: evaluation,
    结案: closing_summary and optionally closed_on); the others are not needed."""

    assessment = _text()
    plan = _text()
    evaluation = _text()
    closing_summary = _text()
    closed_on = serializers.DateField(required=False, help_text="Only when closing; default today.")
    from_stage = serializers.ChoiceField(
        Stage.choices,
        required=False,
        help_text="The stage you are moving the case from; if given and the case is no longer "
        "there, nothing changes (400): a retried request never moves a case twice.",
    )


class CaseRecordSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    notes = NotesField()

    class Meta:
        model = CaseRecord
        fields = ["id", "case", "served_on", "minutes", "method", "method_label", "notes", "worker"]
        read_only_fields = fields


class CaseRecordInputSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_MINUTES)
    method = serializers.ChoiceField(Method.choices)
    notes = _text()


# Visit frequencies and overdue visits -----------------------------------------------------------


class FrequencySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = VisitFrequency
        fields = ["id", "region", "region_name", "category", "category_label", "interval_days"]
        read_only_fields = fields


class FrequencyInputSerializer(serializers.Serializer):
    region = RegionField(help_text=_("Division code (2, 4, 6, 9 or 12 digits)."))
    category = serializers.ChoiceField(Category.choices)
    interval_days = serializers.IntegerField(min_value=1, max_value=32767)


class EffectiveRuleSerializer(serializers.Serializer):
    category = serializers.ChoiceField(Category.choices)
    category_label = serializers.CharField(source="label")
    interval_days = serializers.IntegerField(allow_null=True, help_text="null: never overdue")
    source = serializers.SerializerMethodField(help_text="own, inherited, default or none")
    source_region = serializers.SerializerMethodField(
        help_text="The region whose rule applies, if you can see it."
    )
    rule = serializers.SerializerMethodField(help_text="Id of this region's own rule.")

    @extend_schema_field(serializers.ChoiceField(["own", "inherited", "default", "none"]))
    def get_source(self, line) -> str:
        if line.own:
            return "own"
        if line.source:
            return "inherited"
        return "default" if line.is_default else "none"

    @extend_schema_field({"type": "string", "nullable": True})
    def get_source_region(self, line) -> str | None:
        return line.source_region.code if line.source_region else None

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_rule(self, line) -> int | None:
        return line.own.pk if line.own else None


class RegionQuerySerializer(serializers.Serializer):
    region = RegionField(required=False, help_text="Division code; default: your region.")

    def chosen(self) -> Region | None:
        return self.validated_data.get("region")


class StationIdField(_ObjectIdField):
    default_error_messages = {"does_not_exist": _("No such station.")}

    def visible(self, user):
        return site_list(user=user).filter(kind=SiteKind.STATION)


class OverdueQuerySerializer(RegionQuerySerializer):
    station = StationIdField(required=False, help_text="A township station's id (its township).")

    def chosen(self) -> Region | None:
        station = self.validated_data.get("station")
        return station.region if station else self.validated_data.get("region")


class OverdueSerializer(serializers.Serializer):
    resident = serializers.IntegerField(source="resident.pk")
    resident_name = serializers.CharField(source="resident.name")
    region = serializers.CharField(source="resident.region_id")
    region_name = serializers.CharField(source="resident.region.name")
    categories = serializers.ListField(child=serializers.ChoiceField(Category.choices))
    interval_days = serializers.IntegerField()
    last_visit = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    days_overdue = serializers.IntegerField(source="overdue_by")
