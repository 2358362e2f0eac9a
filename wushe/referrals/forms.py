"""Page forms for referrals and transfer requests. They parse input only; what may be written,
by whom and where is decided by ``services`` and ``transfers``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.casework.models import Case
from wushe.referrals import selectors
from wushe.referrals.choices import ReferralDecision, TransferDecision
from wushe.referrals.services import TEXT_LENGTH
from wushe.regions.forms import RegionCodeField

# The longest way anyone writes an ID number (spaces, dashes, full width): as on the filing form.
NUMBER_LENGTH = 40
# Departments stations most often refer to; any other name may be typed.
DEPARTMENTS = [
    "区残联",
    "区民政局",
    "街道卫生服务中心",
    "街道综治办",
    "派出所",
    "司法所",
    "妇联",
    "团委",
    "人社局",
]


def _text(label, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )


class StationField(forms.ModelChoiceField):
    """A station chosen by id; a value no database integer holds is refused before the lookup
    (SQLite would overflow on it)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ReferralForm(forms.Form):
    """转介: to a station of the city, or to a department by name."""

    to_station = StationField(
        label=_("to station"),
        queryset=None,
        required=False,
        empty_label=_("— a department instead —"),
    )
    to_department = forms.CharField(
        label=_("or to a department"),
        max_length=100,
        required=False,
        help_text=_("For example 区残联, 街道卫生服务中心, 派出所."),
        widget=forms.TextInput(attrs={"list": "departments"}),
    )
    reason = _text(_("reason for referral"))
    asked_for = _text(_("what is asked for"))
    referred_on = forms.DateField(
        label=_("referred on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    transfer_file = forms.BooleanField(
        label=_("transfer the file"),
        required=False,
        help_text=_("The receiving station takes over the resident's file when it accepts."),
    )

    def __init__(self, *args, user: User, case: Case, **kwargs) -> None:
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["to_station"].queryset = selectors.station_choices(user=user, case=case)
        self.fields["to_station"].label_from_instance = lambda site: (
            f"{site.name} ({site.region.name})"
        )


class ReferralDecisionForm(forms.Form):
    """接收 or 退回, by the receiving station; a village when the file moves with the case."""

    decision = forms.ChoiceField(
        label=_("decision"), choices=ReferralDecision.choices, widget=forms.RadioSelect
    )
    note = _text(_("note"), required=False, help_text=_("Required when returning: say why."))
    village = RegionCodeField(
        label=_("Village or community code"),
        required=False,
        help_text=_("Where the person now lives (12 digits), when the file moves with the case."),
    )

    def __init__(self, *args, user: User, moves_file: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].user = user
        if not moves_file:
            del self.fields["village"]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class DepartmentAnswerForm(forms.Form):
    """What the department answered, recorded by the sending station."""

    decision = forms.ChoiceField(
        label=_("the department"),
        choices=[
            (ReferralDecision.ACCEPT, _("accepted")),
            (ReferralDecision.RETURN, _("returned")),
        ],
        widget=forms.RadioSelect,
    )
    note = _text(_("answer"), required=False, help_text=_("Required when returned: their reason."))


class TransferRequestForm(forms.Form):
    """Ask for the file of a person filed by another station."""

    id_number = forms.CharField(label=_("ID number"), max_length=NUMBER_LENGTH)
    village = RegionCodeField(
        label=_("Village or community code"),
        help_text=_("The village of your station where the person now lives, e.g. 440305007003."),
    )
    reason = _text(_("reason for the request"))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].user = user


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=TransferDecision.choices, widget=forms.RadioSelect
    )
    note = _text(
        _("note"), required=False, help_text=_("Required when declining; the requester reads it.")
    )
