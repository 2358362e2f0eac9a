"""Shapes of group work in the API. They check types and formats and turn ids into objects the
requesting user can see; every rule (dates, scope, who may attend) is in the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wushe.accounts.models import User
from wushe.core.api import MAX_ID
from wushe.core.api_fields import VisibleIdField
from wushe.core.service_areas import ServiceArea
from wushe.groups.choices import GroupStatus
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.selectors import running_sites, shown_name
from wushe.groups.services import WRITERS
from wushe.people.selectors import resident_list

NOTES_LENGTH = 5000


def _user(serializer_field) -> User:
    return serializer_field.context["request"].user


class StationField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such site.")}

    def visible(self):
        return running_sites(user=_user(self))


class LeaderField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such user.")}

    def visible(self):
        return User.objects.visible_to(_user(self)).filter(is_active=True, role__in=WRITERS)


class ResidentField(VisibleIdField):
    default_error_messages = {"does_not_exist": _("No such resident.")}

    def visible(self):
        return resident_list(user=_user(self))


class GroupSerializer(serializers.ModelSerializer):
    service_area_label = serializers.CharField(source="get_service_area_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    leader_name = serializers.StringRelatedField(source="leader")
    session_count = serializers.IntegerField(read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text="Members who have not left.")

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "goal",
            "service_area",
            "service_area_label",
            "station",
            "station_name",
            "region_code",
            "leader",
            "leader_name",
            "started_on",
            "ended_on",
            "planned_sessions",
            "status",
            "status_label",
            "session_count",
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GroupInputSerializer(serializers.Serializer):
    """A new group (POST, PUT) or changes to one (PATCH: only the fields sent)."""

    name = serializers.CharField(max_length=100)
    goal = serializers.CharField(max_length=2000)
    service_area = serializers.ChoiceField(ServiceArea.choices)
    station = StationField(help_text="Id of a township station or village room.")
    leader = LeaderField(required=False, help_text="User id; default: you.")
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True)
    planned_sessions = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(GroupStatus.choices, required=False)


class MemberSerializer(serializers.ModelSerializer):
    resident_name = serializers.SerializerMethodField(
        help_text="Null for a resident outside your subtree (added by someone above you)."
    )
    attended = serializers.IntegerField(read_only=True, help_text="Sessions attended.")

    class Meta:
        model = GroupMember
        fields = ["id", "resident", "resident_name", "joined_on", "left_on", "attended"]
        read_only_fields = fields

    def get_resident_name(self, member: GroupMember) -> str | None:
        return shown_name(_user(self), member.resident)


class MemberInputSerializer(serializers.Serializer):
    resident = ResidentField(help_text="Id of a resident you can see.")
    joined_on = serializers.DateField(required=False, help_text="Default: today.")


class LeaveSerializer(serializers.Serializer):
    left_on = serializers.DateField()


class AttendeesField(serializers.ListField):
    """Member ids; each must name a member of a group the requesting user can see (the service
    then refuses members of another group)."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    default_error_messages = {"not_member": _("Only members of the group can attend its sessions.")}

    def to_internal_value(self, data) -> list[GroupMember]:
        ids = set(super().to_internal_value(data))
        members = GroupMember.objects.visible_to(_user(self)).filter(pk__in=ids)
        found = list(members.select_related("resident"))
        if len(found) != len(ids):
            self.fail("not_member")
        return found


class SessionSerializer(serializers.ModelSerializer):
    attendees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    present = serializers.SerializerMethodField()

    class Meta:
        model = GroupSession
        fields = ["id", "number", "held_on", "topic", "notes", "attendees", "present"]
        read_only_fields = fields

    def get_present(self, session: GroupSession) -> int:
        return len(session.attendees.all())


class SessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    notes = serializers.CharField(max_length=NOTES_LENGTH, required=False, allow_blank=True)
    attendees = AttendeesField(required=False, max_length=1000, help_text="Member ids present.")


class AttendanceSerializer(serializers.Serializer):
    attendees = AttendeesField(max_length=1000, help_text="Member ids present.")
