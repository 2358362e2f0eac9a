"""Page forms of the three lists and matching. They parse input only; every rule (scope,
sources, the state machine, hard constraints) is checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.core.service_areas import ServiceArea
from wushe.groups.models import Group
from wushe.matching import selectors
from wushe.matching.choices import NeedSource
from wushe.matching.fields import ChosenResidentField, WeeklyMaskField
from wushe.matching.models import Need, OrganisationOffer, ServiceProject, Task
from wushe.people.models import Resident
from wushe.people.selectors import resident_list
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site
from wushe.volunteers.models import Skill

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ID_FIELD = {"min_value": 1, "max_value": 2**63 - 1, "required": False}
NEED_FIELDS = (
    "station",
    "resident",
    "group",
    "source",
    "visit",
    "case",
    "activity",
    "request_note",
    "service_area",
    "skills",
    "urgency",
    "date_from",
    "date_to",
    "window",
    "region",
    "latitude",
    "longitude",
    "address",
    "description",
)


def _field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits and validators."""
    return model._meta.get_field(name).formfield(**kwargs)


def skill_queryset():
    return Skill.objects.order_by("bit")


def places_of(station: Site) -> list[tuple[str, str]]:
    """Where a station's needs may be: its township (empty: decided from the resident) and
    its villages."""
    villages = Region.objects.filter(parent_id=station.region_id, level=Level.VILLAGE)
    return [
        ("", _("The resident's village, else the station's township")),
        (station.region_id, station.region.name),
        *((r.code, r.name) for r in villages.order_by("code")),
    ]


class PlaceField(forms.ChoiceField):
    """A region code among the chosen station's places (the service checks it again)."""

    def valid_value(self, value) -> bool:
        return True  # the choices follow the station; the service decides

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        region = Region.objects.filter(code=str(value)[:12]).first()
        if region is None:
            raise forms.ValidationError(_("No such region."), code="not_found")
        return region


class NeedForm(forms.Form):
    """记录需求 or change one."""

    station = forms.ModelChoiceField(label=_("station"), queryset=Site.objects.none())
    resident = ChosenResidentField(
        label=_("resident"), queryset=Resident.objects.none(), required=False
    )
    group = forms.ModelChoiceField(label=_("group"), queryset=Group.objects.none(), required=False)
    source = _field(Need, "source")
    visit = forms.IntegerField(label=_("home visit no."), **ID_FIELD)
    case = forms.IntegerField(label=_("case no."), **ID_FIELD)
    activity = forms.IntegerField(label=_("activity no."), **ID_FIELD)
    request_note = _field(Need, "request_note")
    service_area = _field(Need, "service_area")
    skills = forms.ModelMultipleChoiceField(
        label=_("skills required"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = _field(Need, "urgency")
    date_from = _field(Need, "date_from", widget=DATE_WIDGET)
    date_to = _field(Need, "date_to", widget=DATE_WIDGET)
    window = WeeklyMaskField(
        label=_("weekly time window"),
        required=False,
        help_text=_("Tick the times that suit; none ticked: any time of the week."),
    )
    region = PlaceField(label=_("place (village)"), required=False, choices=[])
    latitude = _field(Need, "latitude")
    longitude = _field(Need, "longitude")
    address = _field(Need, "address")
    description = _field(Need, "description", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["station"].queryset = selectors.stations(user=user)
        self.fields["resident"].queryset = resident_list(user=user)
        self.fields["group"].queryset = Group.objects.visible_to(user).order_by("name")
        self.fields["skills"].queryset = skill_queryset()
        self.fields["source"].initial = NeedSource.REQUEST
        station = self.chosen_station()
        if station is not None:
            self.fields["region"].choices = places_of(station)
        self.fields["station"].widget.attrs.update(
            {"hx-get": "", "hx-target": "#id_region", "hx-swap": "outerHTML"}
        )

    def fieldsets(self) -> list[tuple[str, list]]:
        """The form's fields after station and resident, grouped as the page shows them."""
        groups = (
            (
                _("Where it was found"),
                ("source", "visit", "case", "activity", "request_note"),
            ),
            (
                _("What and when"),
                ("service_area", "skills", "urgency", "date_from", "date_to", "window"),
            ),
            (_("Where to serve"), ("region", "latitude", "longitude", "address")),
            (_("What is needed"), ("description",)),
        )
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def chosen_station(self) -> Site | None:
        raw = self.data.get("station") if self.is_bound else self.initial.get("station")
        if isinstance(raw, Site):
            return raw
        if raw and str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 18:
            return self.fields["station"].queryset.filter(pk=raw).first()
        return None

    def chosen_resident(self):
        raw = self.data.get("resident") if self.is_bound else self.initial.get("resident")
        if hasattr(raw, "pk"):
            return raw
        if raw and str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 18:
            return self.fields["resident"].queryset.filter(pk=raw).first()
        return None

    @staticmethod
    def initial_from(need: Need) -> dict:
        initial = {
            name: getattr(need, name) for name in NEED_FIELDS if name not in ("visit", "case")
        }
        initial.update(
            visit=need.visit_id,
            case=need.case_id,
            activity=need.activity_id,
            skills=list(need.skills.all()),
            region=need.region_id,
        )
        return initial

    def service_arguments(self) -> dict:
        """The cleaned data as the services take it: ids of source records turned into the
        records the user can see (None if not: the service says so beside the field)."""
        from wushe.activities.models import Activity
        from wushe.casework.models import Case, HomeVisit

        data = dict(self.cleaned_data)
        for name, model in (
            ("visit", HomeVisit),
            ("case", Case),
            ("activity", Activity),
        ):
            pk = data.get(name)
            data[name] = model.objects.visible_to(self.user).filter(pk=pk).first() if pk else None
            if pk and data[name] is None:
                self.add_error(name, _("No such record."))
        if data.get("region") is None:
            data.pop("region", None)
        return data


class ResidentSearchForm(forms.Form):
    resident_q = forms.CharField(label=_("Find a resident"), max_length=50)


class OfferForm(forms.Form):
    """登记组织服务供给 or change one."""

    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=None)
    station = forms.ModelChoiceField(label=_("station"), queryset=Site.objects.none())
    service_areas = forms.MultipleChoiceField(
        label=_("service areas"),
        choices=ServiceArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = _field(OrganisationOffer, "capacity")
    radius_km = _field(OrganisationOffer, "radius_km")
    availability = WeeklyMaskField(label=_("weekly availability"), required=False)
    latitude = _field(OrganisationOffer, "latitude")
    longitude = _field(OrganisationOffer, "longitude")
    active = _field(OrganisationOffer, "active")
    notes = _field(OrganisationOffer, "notes", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, **kwargs) -> None:
        from wushe.organisations.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user)
        self.fields["station"].queryset = selectors.stations(user=user)
        self.fields["skills"].queryset = skill_queryset()

    @staticmethod
    def initial_from(offer: OrganisationOffer) -> dict:
        return {
            "organisation": offer.organisation,
            "station": offer.station,
            "service_areas": offer.service_areas,
            "skills": list(offer.skills.all()),
            "capacity": offer.capacity,
            "radius_km": offer.radius_km,
            "availability": offer.availability,
            "latitude": offer.latitude,
            "longitude": offer.longitude,
            "active": offer.active,
            "notes": offer.notes,
        }


class ProjectForm(forms.Form):
    """新建服务项目 or change one."""

    station = forms.ModelChoiceField(label=_("station"), queryset=Site.objects.none())
    name = _field(ServiceProject, "name")
    service_area = _field(ServiceProject, "service_area")
    target_group = _field(ServiceProject, "target_group")
    period_from = _field(ServiceProject, "period_from", widget=DATE_WIDGET)
    period_to = _field(ServiceProject, "period_to", widget=DATE_WIDGET)
    capacity = _field(ServiceProject, "capacity")
    status = _field(ServiceProject, "status")
    description = _field(ServiceProject, "description", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.stations(user=user)

    @staticmethod
    def initial_from(project: ServiceProject) -> dict:
        names = ("station", "name", "service_area", "target_group", "period_from")
        names += ("period_to", "capacity", "status", "description")
        return {name: getattr(project, name) for name in names}


class NeedChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, need: Need) -> str:
        who = need.resident.name if need.resident_id else (need.group.name if need.group_id else "")
        return f"{who} · {need.description[:30]} · {need.get_status_display()}"


class LinkNeedsForm(forms.Form):
    needs = NeedChoices(
        label=_("needs answered"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RunForm(forms.Form):
    """A station's run, or (for those who see a whole county) the county's."""

    station = forms.ModelChoiceField(
        label=_("station"), queryset=Site.objects.none(), required=False
    )
    county = forms.ModelChoiceField(
        label=_("or the whole county"), queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.stations(user=user)
        counties = Region.objects.visible_to(user).filter(level=Level.COUNTY).order_by("code")
        if counties.exists():
            self.fields["county"].queryset = counties
        else:
            del self.fields["county"]

    def clean(self):
        data = super().clean()
        chosen = [name for name in ("station", "county") if data.get(name)]
        if not self.errors and len(chosen) != 1:
            raise forms.ValidationError(_("Choose a station or a county."), code="scope")
        return data


class SupplierChoiceForm(forms.Form):
    """Change a proposal's supplier by hand: a volunteer or an organisation offer."""

    volunteer = forms.ModelChoiceField(label=_("volunteer"), queryset=None, required=False)
    offer = forms.ModelChoiceField(
        label=_("organisation offer"),
        queryset=OrganisationOffer.objects.none(),
        required=False,
    )

    def __init__(self, *args, volunteers, offers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
        self.fields["offer"].queryset = offers

    def clean(self):
        data = super().clean()
        if bool(data.get("volunteer")) == bool(data.get("offer")):
            raise forms.ValidationError(_("Choose one volunteer or one organisation offer."))
        return data

    def supplier(self):
        return self.cleaned_data.get("volunteer") or self.cleaned_data.get("offer")


class CompleteForm(forms.Form):
    """确认完成: the hours served, the day, and the task's tier for the points rules."""

    served_on = forms.DateField(label=_("served on"), widget=DATE_WIDGET)
    hours = _field(Task, "hours", required=True)
    tier = forms.ChoiceField(label=_("task tier"), required=False, choices=[])

    def __init__(self, *args, tiers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [("", "—"), *tiers]
