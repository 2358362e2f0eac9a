"""Page forms for group work. They parse input only; the rules (scope, dates, who may attend)
are checked by the services, whose errors go back beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import Role, User
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.selectors import hidden_label, running_sites, shown_name
from wushe.groups.services import GROUP_FIELDS, WRITERS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits and validators."""
    return model._meta.get_field(name).formfield(**kwargs)


class MembersField(forms.ModelMultipleChoiceField):
    """Members ticked by id; a value no database integer holds is refused up front (an
    ``IN`` lookup with it would overflow)."""

    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isascii() or not text.isdigit() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)

    user: User | None = None

    def label_from_instance(self, member: GroupMember) -> str:
        return shown_name(self.user, member.resident) or hidden_label()


class GroupForm(forms.Form):
    """开小组 or change a group. A plain form: the service takes its audit snapshot before
    changing anything."""

    name = _field(Group, "name")
    station = forms.ModelChoiceField(label=_("station or room"), queryset=Group.objects.none())
    service_area = _field(Group, "service_area")
    goal = _field(Group, "goal", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    leader = forms.ModelChoiceField(label=_("group leader"), queryset=User.objects.none())
    started_on = _field(Group, "started_on", widget=DATE_WIDGET)
    planned_sessions = _field(Group, "planned_sessions")
    status = _field(Group, "status")
    ended_on = _field(Group, "ended_on", widget=DATE_WIDGET)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = running_sites(user=user)
        self.fields["leader"].queryset = (
            User.objects.visible_to(user)
            .filter(is_active=True, role__in=WRITERS)
            .order_by("username")
        )
        self.fields["leader"].initial = user.pk if user.role != Role.AUDITOR else None

    @staticmethod
    def initial_from(group: Group) -> dict:
        return {name: getattr(group, name) for name in GROUP_FIELDS}


class MemberAddForm(forms.Form):
    """入组: the resident comes from the search on the group's page (by id, checked in scope
    by the view), with the day of joining."""

    resident = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    joined_on = _field(GroupMember, "joined_on", widget=DATE_WIDGET, required=False)


class MemberRemoveForm(forms.Form):
    left_on = _field(
        GroupMember,
        "left_on",
        widget=DATE_WIDGET,
        help_text=_("Empty: the member was added by mistake and is deleted."),
    )


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a resident"), max_length=50)


class SessionForm(forms.Form):
    """One session (节) with the attendance checklist of the group's members."""

    held_on = _field(GroupSession, "held_on", widget=DATE_WIDGET)
    topic = _field(GroupSession, "topic")
    notes = _field(GroupSession, "notes", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    attendees = MembersField(
        label=_("present"), queryset=GroupMember.objects.none(), required=False
    )

    def __init__(self, *args, group: Group, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].user = user
        self.fields["attendees"].queryset = group.members.select_related("resident").order_by(
            "resident__name_pinyin", "id"
        )

    @staticmethod
    def initial_from(session: GroupSession) -> dict:
        return {
            "held_on": session.held_on,
            "topic": session.topic,
            "notes": session.notes,
            "attendees": list(session.attendees.values_list("pk", flat=True)),
        }
