"""Filters of the volunteer list, shared by the page and the API. The name and ID search is not
here: it is ``selectors.volunteer_search``, sent by POST on the page (an ID number never
travels in a URL)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from wushe.regions.filtersets import within_code
from wushe.volunteers.choices import Status
from wushe.volunteers.forms import is_id
from wushe.volunteers.models import Skill, Volunteer, VolunteerTeam


class _IdChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """An object by id; a value no database integer can hold is "not a valid choice" (SQLite
    would otherwise overflow while looking it up)."""

    field_class = _IdChoiceField


class VolunteerFilterSet(django_filters.FilterSet):
    skill = IdChoiceFilter(label=_("skill"), queryset=Skill.objects.all(), method="filter_skill")
    team = IdChoiceFilter(
        label=_("team"), queryset=VolunteerTeam.objects.none(), method="filter_team"
    )
    village = django_filters.CharFilter(
        label=_("Village or region code (with everything under it)"), method="filter_village"
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices)

    class Meta:
        model = Volunteer
        fields = ["skill", "team", "village", "status"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Pages pass the user; the API's filter backend passes the request.
        user = user or getattr(self.request, "user", None)
        self.filters["team"].queryset = VolunteerTeam.objects.visible_to(user)

    def filter_skill(self, queryset, name, value):
        # A sub-query, not a join: a join would repeat a volunteer once per skill.
        holders = Volunteer.skills.through.objects.filter(skill=value).values("volunteer_id")
        return queryset.filter(pk__in=holders)

    def filter_team(self, queryset, name, value):
        members = VolunteerTeam.members.through.objects.filter(volunteerteam=value)
        return queryset.filter(pk__in=members.values("volunteer_id"))

    def filter_village(self, queryset, name, value):
        return within_code(queryset, value)
