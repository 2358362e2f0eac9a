"""Shapes of referrals and transfer requests in the API. They check types and formats only;
scope, roles and the rules of each decision are checked by the services.

A transfer request's output holds the file's resident (and who decided) only for a user who
may see the file: the holder, or the requester once the file is theirs. It never holds the ID
number or its hash.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from wushe.casework.cases import Method, Stage
from wushe.casework.services import can_read_notes
from wushe.core.api import MAX_ID
from wushe.people.models import Resident
from wushe.referrals import rules
from wushe.referrals.choices import ReferralDecision, TransferDecision
from wushe.referrals.forms import NUMBER_LENGTH
from wushe.referrals.models import Referral, TransferRequest
from wushe.referrals.services import TEXT_LENGTH
from wushe.regions.api.serializers import RegionField


class PersonalText(serializers.CharField):
    """A text about a person: ``null`` for a role that may not read case notes (an auditor)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        if not can_read_notes(self.context["request"].user):
            return None
        return super().get_attribute(instance)


class SiteBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(source="region_id")


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _optional_text() -> serializers.CharField:
    return serializers.CharField(max_length=TEXT_LENGTH, required=False, allow_blank=True)


class ReferralSerializer(serializers.ModelSerializer):
    from_station = SiteBriefSerializer(read_only=True, allow_null=True)
    to_station = SiteBriefSerializer(read_only=True, allow_null=True)
    resident = serializers.SerializerMethodField(
        help_text="The case's resident, for those who may read the case through the referral."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reason = PersonalText()
    asked_for = PersonalText()
    decision_note = PersonalText()
    created_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "resident",
            "from_station",
            "to_station",
            "to_department",
            "reason",
            "asked_for",
            "referred_on",
            "transfer_file",
            "status",
            "status_label",
            "decision_note",
            "decided_by",
            "decided_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonBriefSerializer(allow_null=True))
    def get_resident(self, referral: Referral) -> dict | None:
        if not rules.can_read_case(self.context["request"].user, referral):
            return None
        return PersonBriefSerializer(referral.case.resident).data


class ReferralCreateSerializer(serializers.Serializer):
    """转介 of a case to a station (by id) or to a department (by name): one of the two."""

    case = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    to_station = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    to_department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=TEXT_LENGTH)
    asked_for = serializers.CharField(max_length=TEXT_LENGTH)
    referred_on = serializers.DateField(required=False, help_text="Default: today.")
    transfer_file = serializers.BooleanField(
        required=False, default=False, help_text=_("The receiving station takes over the file.")
    )


class ReferralDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(ReferralDecision.choices)
    note = _optional_text()
    village = RegionField(
        required=False,
        allow_null=True,
        help_text=_("Where the person now lives, when the file moves with the case."),
    )


class DepartmentAnswerSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(ReferralDecision.choices)
    note = _optional_text()


class CaseRecordBriefSerializer(serializers.Serializer):
    served_on = serializers.DateField()
    minutes = serializers.IntegerField()
    method = serializers.ChoiceField(Method.choices)
    notes = PersonalText()
    worker = serializers.StringRelatedField()


class ReferralBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    referred_on = serializers.DateField()
    from_station = serializers.CharField(source="from_station.name", default=None)
    to = serializers.CharField(source="target_name")
    status = serializers.CharField()


class CaseHistorySerializer(serializers.Serializer):
    """The referred case as the referral shows it: its stage, records and referrals."""

    id = serializers.IntegerField(source="case.id")
    resident = PersonBriefSerializer(source="case.resident")
    stage = serializers.ChoiceField(Stage.choices, source="case.stage")
    opened_on = serializers.DateField(source="case.opened_on")
    problem = PersonalText(source="case.problem")
    assessment = PersonalText(source="case.assessment")
    plan = PersonalText(source="case.plan")
    evaluation = PersonalText(source="case.evaluation")
    records = CaseRecordBriefSerializer(many=True)
    referrals = ReferralBriefSerializer(many=True)


class TransferRequestSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="region_id", read_only=True)
    village_name = serializers.CharField(source="region.name", read_only=True)
    station = SiteBriefSerializer(read_only=True, allow_null=True)
    requested_by = serializers.StringRelatedField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reason = PersonalText()
    decision_note = PersonalText()
    resident = serializers.SerializerMethodField(
        help_text="The file, only for those who may see it (the holder; the requester once "
        "the file is theirs)."
    )
    decided_by = serializers.SerializerMethodField(help_text="Only for the holder's side.")

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "village",
            "village_name",
            "station",
            "requested_by",
            "reason",
            "status",
            "status_label",
            "decision_note",
            "resident",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields

    def _file(self, transfer: TransferRequest) -> Resident | None:
        return self.context["files"].get(transfer.id_hash)

    @extend_schema_field(PersonBriefSerializer(allow_null=True))
    def get_resident(self, transfer: TransferRequest) -> dict | None:
        resident = self._file(transfer)
        return PersonBriefSerializer(resident).data if resident else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by(self, transfer: TransferRequest) -> str | None:
        user = self.context["request"].user
        holder_side = self._file(transfer) is not None or user.can_see_code(
            transfer.holder_region_code
        )
        return str(transfer.decided_by) if holder_side and transfer.decided_by else None


class TransferCreateSerializer(serializers.Serializer):
    id_number = serializers.CharField(
        max_length=NUMBER_LENGTH, help_text="The ID number the filing form said is filed elsewhere."
    )
    village = RegionField(help_text=_("The village of your station where the person now lives."))
    reason = serializers.CharField(max_length=TEXT_LENGTH)


class TransferDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(TransferDecision.choices)
    note = _optional_text()
