"""Page forms for social organisations. They parse input only; every rule (scope, credit code,
phone, incubation dates) is checked by the services, whose errors go back beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.core.service_areas import ServiceArea
from wushe.organisations.models import IncubationPeriod, Organisation
from wushe.organisations.selectors import incubation_sites
from wushe.organisations.services import ORGANISATION_FIELDS
from wushe.regions.forms import RegionCodeField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CODE_LENGTH = 40  # room for spaces typed inside a code; the service normalises it


def _field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits, validators."""
    return model._meta.get_field(name).formfield(**kwargs)


class SiteChoiceField(forms.ModelChoiceField):
    """A site by id; a value no database integer holds is refused up front."""

    def to_python(self, value):
        text = str(value) if value is not None else ""
        if text and (not text.isascii() or not text.isdigit() or len(text) > 18):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class OrganisationForm(forms.Form):
    """登记社会组织 or change one."""

    name = _field(Organisation, "name")
    kind = _field(Organisation, "kind")
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=CODE_LENGTH,
        required=False,
        help_text=_("18 characters; a community organisation that is only filed may have none."),
    )
    region = RegionCodeField(
        help_text=_("Where it is registered or filed: a county, township or village code.")
    )
    service_areas = forms.MultipleChoiceField(
        label=_("service areas"),
        choices=ServiceArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_person = _field(Organisation, "contact_person")
    contact_phone = forms.CharField(
        label=_("contact phone"), max_length=CODE_LENGTH, required=False
    )
    address = _field(Organisation, "address")
    founded_on = _field(Organisation, "founded_on", widget=DATE_WIDGET)
    status = _field(Organisation, "status")
    note = _field(Organisation, "note", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, user: User, organisation: Organisation | None = None, **kwargs):
        if organisation is not None:
            kwargs.setdefault("initial", self.initial_from(organisation))
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user

    @staticmethod
    def initial_from(organisation: Organisation) -> dict:
        initial = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
        initial["service_areas"] = list(organisation.service_areas.values_list("area", flat=True))
        return initial


class IncubationEnterForm(forms.Form):
    """入驻孵化基地: a site of the network, or the name of a base that is not one."""

    site = SiteChoiceField(
        label=_("incubation base (a site)"),
        queryset=IncubationPeriod.objects.none(),
        required=False,
    )
    base_name = _field(
        IncubationPeriod,
        "base_name",
        help_text=_("Only when the base is not one of the sites above."),
    )
    entered_on = _field(IncubationPeriod, "entered_on", widget=DATE_WIDGET)
    note = _field(IncubationPeriod, "note")

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = incubation_sites(user=user)


class IncubationLeaveForm(forms.Form):
    left_on = _field(IncubationPeriod, "left_on", widget=DATE_WIDGET, required=True)
