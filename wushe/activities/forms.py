"""Page forms for community activities. They parse input only; where an activity may be held,
who may take part and the head counts are checked by ``activities.services``."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.activities.models import Activity
from wushe.activities.selectors import places_of
from wushe.groups.selectors import running_sites
from wushe.regions.forms import RegionCodeField
from wushe.regions.models import Site

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Names as people type lists of them: one a line, or separated by 、 , ， ; ；
NAME_SEPARATORS = re.compile(r"[\n\r、,，;；]+")
FORM_FIELDS = (
    "held_on",
    "theme",
    "place",
    "service_area",
    "station",
    "anonymous_count",
    "volunteer_names",
    "volunteer_count",
    "notes",
)


def _field(name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits and validators."""
    return Activity._meta.get_field(name).formfield(**kwargs)


class VolunteerNamesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [name.strip() for name in NAME_SEPARATORS.split(text) if name.strip()]


class ActivityForm(forms.Form):
    """记录社区活动 or change one. Participants are picked on the activity's page."""

    held_on = _field("held_on", widget=DATE_WIDGET)
    theme = _field("theme")
    place = _field("place")
    service_area = _field("service_area")
    station = forms.ModelChoiceField(label=_("station or room"), queryset=Site.objects.none())
    region = RegionCodeField(
        label=_("region where held"),
        required=False,
        help_text=_("The station's own township or one of its villages; empty: the station's own."),
    )
    anonymous_count = _field(
        "anonymous_count",
        help_text=_("People who took part but have no file, counted by head."),
    )
    volunteer_names = VolunteerNamesField(
        label=_("volunteers"),
        required=False,
        max_length=12000,
        help_text=_("Names, one a line or separated by 、"),
    )
    volunteer_count = _field(
        "volunteer_count",
        required=False,
        initial=None,  # not the model's 0: empty means "as many as named"
        help_text=_("Empty: as many as the names given."),
    )
    notes = _field("notes", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = running_sites(user=user)
        self.fields["region"].user = user
        station = self._chosen_station()
        if station is not None:
            # A list to choose from when the station is known; a typed code works as well.
            self.fields["region"].widget = forms.Select(choices=place_choices(station))
        self.fields["station"].widget.attrs.update(
            {"hx-get": "places/", "hx-target": "#id_region", "hx-swap": "outerHTML"}
        )

    def _chosen_station(self) -> Site | None:
        raw = self.data.get("station") if self.is_bound else self.initial.get("station")
        if isinstance(raw, Site):
            return raw
        if raw and str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 18:
            return self.fields["station"].queryset.filter(pk=raw).first()
        return None

    @staticmethod
    def initial_from(activity: Activity) -> dict:
        initial = {name: getattr(activity, name) for name in FORM_FIELDS}
        initial["region"] = activity.region_code
        return initial

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("region") is None:
            data.pop("region", None)  # the station's own region
        return data


def place_choices(station: Site) -> list[tuple[str, str]]:
    own = _("%(name)s (the station's own)") % {"name": station.region.name}
    return [("", own), *((r.code, r.name) for r in places_of(station))]


class ParticipantForm(forms.Form):
    resident = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class ResidentSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a resident"), max_length=50)
