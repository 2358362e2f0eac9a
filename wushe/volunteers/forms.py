"""Page forms for volunteers. They parse input only: the ID number, phone, village, coordinates
and skills are checked by ``volunteers.services``, whose errors go back beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.people.choices import Gender
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.regions.forms import RegionCodeField
from wushe.volunteers.choices import DAY_NAMES, PART_NAMES, PARTS, SLOTS
from wushe.volunteers.models import Skill, Volunteer

# The longest way anyone writes an ID number or a phone (spaces, dashes, +86, full width).
NUMBER_LENGTH = 40
NOTES_LENGTH = 2000


def is_id(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


class IdChoiceField(forms.ModelChoiceField):
    """An object chosen by id; a value no database integer can hold is "not a valid choice"
    (SQLite would otherwise overflow while looking it up)."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


class WeekGrid(forms.Widget):
    """Seven days by three parts of the day, a checkbox each (bit ``day * 3 + part``)."""

    template_name = "volunteers/widgets/week_grid.html"

    def format_value(self, value) -> set[int]:
        if isinstance(value, int):
            return {bit for bit in range(SLOTS) if value >> bit & 1}
        if isinstance(value, list | tuple | set):
            return {int(v) for v in value if str(v).isascii() and str(v).isdigit()}
        return set()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        checked = self.format_value(value)
        context["widget"]["days"] = DAY_NAMES
        context["widget"]["rows"] = [
            (label, [(day * PARTS + part, day * PARTS + part in checked) for day in range(7)])
            for part, label in enumerate(PART_NAMES)
        ]
        return context

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return False  # no box ticked is a value: no time given


class WeekField(forms.Field):
    """The ticked slots as the 21-bit availability mask; none ticked is 0."""

    widget = WeekGrid
    default_error_messages = {"invalid": _("Choose slots of the week from the grid.")}

    def to_python(self, value) -> int:
        if value in self.empty_values:
            return 0
        if isinstance(value, int):
            return value
        mask = 0
        for item in value if isinstance(value, list | tuple) else [value]:
            text = str(item)
            if not text.isascii() or not text.isdigit() or int(text) >= SLOTS:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            mask |= 1 << int(text)
        return mask


def _field(name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits and validators."""
    return Volunteer._meta.get_field(name).formfield(**kwargs)


class VolunteerForm(forms.Form):
    """Register a volunteer or edit the record. Editing never puts the full ID number or phone
    in the page: those fields start empty, show the masked value, and empty keeps them."""

    name = _field("name")
    gender = forms.ChoiceField(
        label=_("gender"),
        choices=[("", _("From the ID number")), *Gender.choices],
        required=False,
    )
    id_number = forms.CharField(label=_("ID number"), max_length=NUMBER_LENGTH)
    phone = forms.CharField(label=_("phone"), max_length=NUMBER_LENGTH)
    region = RegionCodeField(
        label=_("Village or community code"),
        help_text=_("The 12-digit code of the home village or community, e.g. 440305007003."),
    )
    latitude = forms.CharField(
        label=_("latitude"), max_length=20, required=False, help_text=_("Optional, e.g. 22.5431")
    )
    longitude = forms.CharField(
        label=_("longitude"), max_length=20, required=False, help_text=_("Optional, e.g. 113.9344")
    )
    skills = IdMultipleChoiceField(
        label=_("skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = WeekField(
        label=_("weekly availability"),
        required=False,
        help_text=_("Tick the parts of the week the volunteer can usually serve."),
    )
    capacity = _field("capacity", help_text=_("At most 7."))
    hours_per_week = _field("hours_per_week")
    radius_km = _field("radius_km")
    note = _field("note", max_length=NOTES_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, volunteer: Volunteer | None = None, **kwargs) -> None:
        if volunteer is not None:
            kwargs.setdefault("initial", self.initial_from(volunteer))
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        held = [s.pk for s in volunteer.skills.all()] if volunteer else []
        self.fields["skills"].queryset = Skill.objects.filter(active=True) | Skill.objects.filter(
            pk__in=held
        )
        self.volunteer = volunteer
        if volunteer is not None:
            self.fields["status"] = _field("status")
            keep = _("Leave empty to keep the number on file.")
            for name, masked in (
                ("id_number", mask_id_number(volunteer.id_number)),
                ("phone", mask_phone(volunteer.phone)),
            ):
                self.fields[name].required = False
                self.fields[name].help_text = keep
                self.fields[name].widget.attrs["placeholder"] = masked

    @staticmethod
    def initial_from(volunteer: Volunteer) -> dict:
        return {
            "name": volunteer.name,
            "gender": volunteer.gender,
            "region": volunteer.region,
            "latitude": volunteer.latitude if volunteer.latitude is not None else "",
            "longitude": volunteer.longitude if volunteer.longitude is not None else "",
            "skills": [s.pk for s in volunteer.skills.all()],
            "availability": volunteer.availability,
            "capacity": volunteer.capacity,
            "hours_per_week": volunteer.hours_per_week,
            "radius_km": volunteer.radius_km,
            "status": volunteer.status,
            "note": volunteer.note,
        }

    def service_fields(self) -> dict:
        """What the service takes: a number left empty on an edit is kept."""
        data = dict(self.cleaned_data)
        skills = list(data.pop("skills"))
        if self.volunteer is not None:
            for name in ("id_number", "phone"):
                if not data.get(name):
                    data.pop(name, None)
        data["latitude"] = data.get("latitude") or None
        data["longitude"] = data.get("longitude") or None
        return {"skills": skills, **data}


class SearchForm(forms.Form):
    """The list's search: a name, its pinyin or initials, or an exact ID number (sent by POST)."""

    q = forms.CharField(
        label=_("Search"),
        max_length=50,
        required=False,
        help_text=_("Name, pinyin, initials, volunteer number or exact ID number"),
    )


class InviteForm(forms.Form):
    username = forms.CharField(label=_("username"), max_length=150)
    password = forms.CharField(
        label=_("password"), widget=forms.PasswordInput(render_value=False), max_length=128
    )
