"""Shapes of community activities in the API. They check types and formats and turn ids into
objects the requesting user can see; where an activity may be held, head counts and the
volunteers are checked by ``activities.services``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wushe.activities.models import Activity
from wushe.activities.services import NAME_LENGTH
from wushe.core.api import MAX_ID
from wushe.core.service_areas import ServiceArea
from wushe.groups.api.serializers import StationField
from wushe.groups.selectors import shown_name
from wushe.people.selectors import resident_list
from wushe.regions.api.serializers import RegionField

NOTES_LENGTH = 5000


class ActivitySerializer(serializers.ModelSerializer):
    service_area_label = serializers.CharField(source="get_service_area_display", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    region = serializers.CharField(source="region_code", read_only=True)
    region_name = serializers.CharField(read_only=True)
    participant_count = serializers.IntegerField(read_only=True)
    person_times = serializers.SerializerMethodField(
        help_text="服务人次: named participants plus the anonymous head count."
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "held_on",
            "theme",
            "place",
            "service_area",
            "service_area_label",
            "station",
            "station_name",
            "region",
            "region_name",
            "participant_count",
            "anonymous_count",
            "person_times",
            "volunteer_names",
            "volunteer_count",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_person_times(self, activity: Activity) -> int:
        return activity.participant_count + activity.anonymous_count


class ParticipantsField(serializers.ListField):
    """Resident ids: residents the requesting user can see, or already taking part (someone
    with a wider subtree may have added them)."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    default_error_messages = {"does_not_exist": _("No such resident.")}

    def to_internal_value(self, data) -> list:
        ids = set(super().to_internal_value(data))
        user = self.context["request"].user
        found = {resident.pk: resident for resident in resident_list(user=user).filter(pk__in=ids)}
        activity = self.context.get("activity")
        if activity is not None:
            for resident in activity.participants.filter(pk__in=ids):
                found.setdefault(resident.pk, resident)
        if len(found) != len(ids):
            self.fail("does_not_exist")
        return list(found.values())


class ActivityInputSerializer(serializers.Serializer):
    """A new activity (POST, PUT) or changes to one (PATCH: only the fields sent)."""

    held_on = serializers.DateField()
    theme = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200)
    service_area = serializers.ChoiceField(ServiceArea.choices)
    station = StationField(help_text="Id of a township station or village room.")
    region = RegionField(
        required=False,
        help_text="Where it was held: the station's township or one of its villages "
        "(default: the station's own region).",
    )
    participants = ParticipantsField(required=False, max_length=5000, help_text="Resident ids.")
    anonymous_count = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_ID, help_text="People not filed (head count)."
    )
    volunteer_names = serializers.ListField(
        child=serializers.CharField(max_length=NAME_LENGTH, allow_blank=True),
        required=False,
        max_length=200,
    )
    volunteer_count = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_ID,
        help_text="Default: as many as the names.",
    )
    notes = serializers.CharField(max_length=NOTES_LENGTH, required=False, allow_blank=True)


class ParticipantSerializer(serializers.Serializer):
    """A named participant; name and village are null for a resident outside your subtree
    (added by someone above you)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    region_name = serializers.SerializerMethodField()

    def _shown(self, resident) -> bool:
        return shown_name(self.context["request"].user, resident) is not None

    def get_name(self, resident) -> str | None:
        return resident.name if self._shown(resident) else None

    def get_region(self, resident) -> str | None:
        return resident.region_id if self._shown(resident) else None

    def get_region_name(self, resident) -> str | None:
        return resident.region.name if self._shown(resident) else None


class ParticipantsSerializer(serializers.Serializer):
    participants = ParticipantsField(max_length=5000, help_text="Resident ids.")
