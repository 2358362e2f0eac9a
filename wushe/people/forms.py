"""Page forms for residents' files. They parse input only: the ID number, phones, categories,
consent and scope are checked by ``people.services``, whose errors go back beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.core.views import add_service_errors
from wushe.people.choices import Category, ConsentGiver, ConsentMethod, Gender
from wushe.people.identity import mask_id_number
from wushe.people.models import Consent, Resident
from wushe.people.phones import mask_phone
from wushe.regions.forms import RegionCodeField

# The longest way anyone writes an ID number or a phone (spaces, dashes, +86, full width).
NUMBER_LENGTH = 40
NOTES_LENGTH = 5000  # the API's limit too
CONSENT_FIELDS = ("given_by", "giver_name", "method", "text_version", "given_on")
PHONES = ("phone", "guardian_phone")


def _resident_field(name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits and validators."""
    return Resident._meta.get_field(name).formfield(**kwargs)


def _consent_field(name: str, **kwargs) -> forms.Field:
    return Consent._meta.get_field(name).formfield(**kwargs)


def _blank_first(label, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class ResidentForm(forms.Form):
    """File a resident (建档) or edit a file. A plain form, not a ModelForm: the service takes
    its audit snapshot of the file before changing it.

    Editing never puts the full ID number or phone in the page (that would be an unmasking
    without an audit entry): those fields start empty, show the masked value, and an empty
    field keeps the number on file.
    """

    name = _resident_field("name", label=_("full name"))  # 姓名, not a site's 名称
    gender = forms.ChoiceField(
        label=_("gender"),
        choices=_blank_first(_("From the ID number"), Gender.choices),
        required=False,
    )
    id_number = forms.CharField(label=_("ID number"), max_length=NUMBER_LENGTH)
    phone = forms.CharField(label=_("phone"), max_length=NUMBER_LENGTH, required=False)
    region = RegionCodeField(
        label=_("Village or community code"),
        help_text=_("The 12-digit code of the home village or community, e.g. 440305007003."),
    )
    address = _resident_field("address")
    categories = forms.MultipleChoiceField(
        label=_("categories"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disability_grade = forms.TypedChoiceField(
        label=_("disability grade"),
        choices=_blank_first("—", [(str(grade), str(grade)) for grade in range(1, 5)]),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for a person with disability: grade 1 (most severe) to 4."),
    )
    guardian_name = _resident_field("guardian_name")
    guardian_relation = _resident_field("guardian_relation")
    guardian_phone = forms.CharField(
        label=_("their phone"), max_length=NUMBER_LENGTH, required=False
    )
    risk_level = _resident_field("risk_level")
    notes = _resident_field(
        "notes", max_length=NOTES_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    health_notes = _resident_field(
        "health_notes",
        max_length=NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Saved only with a recorded consent (the guardian's for a child under 14)."),
    )

    def __init__(self, *args, user: User, resident: Resident | None = None, **kwargs) -> None:
        if resident is not None:
            kwargs.setdefault("initial", self.initial_from(resident))
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        self.resident = resident
        if resident is not None:
            self._keep_numbers_on_file(resident)

    def _keep_numbers_on_file(self, resident: Resident) -> None:
        keep = _("Leave empty to keep the number on file.")
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = keep
        self.fields["id_number"].widget.attrs["placeholder"] = mask_id_number(resident.id_number)
        for name in PHONES:
            value = getattr(resident, name)
            if value:
                self.fields[name].help_text = keep
                self.fields[name].widget.attrs["placeholder"] = mask_phone(value)
                self.fields[f"remove_{name}"] = forms.BooleanField(
                    label=_("Remove this phone"), required=False
                )
        # Each "remove" box right after its phone.
        order = []
        for name in self.fields:
            if not name.startswith("remove_"):
                order += [name, f"remove_{name}"]
        self.order_fields(order)

    @staticmethod
    def initial_from(resident: Resident) -> dict:
        plain = (
            "name",
            "address",
            "disability_grade",
            "guardian_name",
            "guardian_relation",
            "risk_level",
            "notes",
            "health_notes",
        )
        initial = {name: getattr(resident, name) for name in plain}
        initial["gender"] = resident.gender
        initial["region"] = resident.region
        initial["categories"] = list(resident.categories.values_list("category", flat=True))
        return initial

    def service_arguments(self) -> dict:
        """Keyword arguments for resident_file / resident_update (``categories`` included)."""
        data = {name: value for name, value in self.cleaned_data.items()}
        for name in PHONES:
            if data.pop(f"remove_{name}", False):
                data[name] = ""
        if self.resident is not None:
            # Empty on the edit form means "keep what is on file".
            for name in ("id_number", *PHONES):
                if not data.get(name) and not self.cleaned_data.get(f"remove_{name}"):
                    data.pop(name, None)
        return data


class ConsentForm(forms.Form):
    """知情同意: who consented, how, to which text version, when."""

    given_by = forms.ChoiceField(
        label=_("given by"), choices=_blank_first("—", ConsentGiver.choices)
    )
    giver_name = _consent_field("giver_name")
    method = forms.ChoiceField(label=_("method"), choices=_blank_first("—", ConsentMethod.choices))
    text_version = _consent_field("text_version")
    given_on = _consent_field(
        "given_on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    @classmethod
    def optional(cls, data=None) -> ConsentForm:
        """The consent block of the filing form: left empty, it is no consent; touched, every
        field is needed."""
        return cls(data, prefix="consent", empty_permitted=True, use_required_attribute=False)

    def consent(self) -> dict | None:
        """The consent as the services take it, or None for an untouched optional block."""
        if self.empty_permitted and not self.has_changed():
            return None
        return dict(self.cleaned_data)


class SearchForm(forms.Form):
    """Sent by POST only (see views._listing): the query may be an ID number."""

    q = forms.CharField(
        label=_("Search residents"),
        max_length=50,
        required=False,
        help_text=_("Name, pinyin, initials (zsf) or the full ID number."),
    )


class UnmaskForm(forms.Form):
    field = forms.ChoiceField(
        choices=[
            ("id_number", _("ID number")),
            ("phone", _("phone")),
            ("guardian_phone", _("their phone")),
        ]
    )


def add_resident_errors(
    error: ValidationError, form: ResidentForm, consent_form: ConsentForm | None = None
) -> None:
    """A service's errors beside the fields: consent ones on the consent block, the rest (and a
    whole-file one, such as the one-file-per-person rule) on the resident form."""
    if not hasattr(error, "error_dict"):
        add_service_errors(form, error)
        return
    consent_errors = {k: v for k, v in error.error_dict.items() if k in CONSENT_FIELDS}
    other = {k: v for k, v in error.error_dict.items() if k not in CONSENT_FIELDS}
    if consent_errors and consent_form is not None:
        add_service_errors(consent_form, ValidationError(consent_errors))
    else:
        other.update(consent_errors)
    if other:
        add_service_errors(form, ValidationError(other), aliases={NON_FIELD_ERRORS: "id_number"})


def error_codes(error: ValidationError, field: str) -> set[str]:
    if not hasattr(error, "error_dict"):
        return set()
    return {item.code for item in error.error_dict.get(field, [])}
