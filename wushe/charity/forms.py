"""Page forms for charity resources. They parse input only; every rule (scope, kind, balance,
dates) is checked by the services, whose errors go back beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.charity.choices import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    DonationKind,
    DonorKind,
    FundStatus,
)
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsMovement
from wushe.charity.selectors import donor_list, fund_list
from wushe.core.api import MAX_ID
from wushe.organisations.models import Organisation
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.regions.forms import RegionCodeField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_LENGTH = 40  # room for spaces and dashes typed around a number


def _field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits, validators."""
    return model._meta.get_field(name).formfield(**kwargs)


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        min_value=kwargs.pop("min_value", 0.01),
        **kwargs,
    )


# A free-text unit with the usual ones offered by the page's <datalist id="charity-units">.
UNIT_WIDGET = forms.TextInput(attrs={"list": "charity-units"})


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id; a value no database integer holds is refused up front (looking it up
    would overflow on SQLite)."""

    def to_python(self, value):
        text = str(value) if value is not None else ""
        if text and (not text.isascii() or not text.isdigit() or len(text) > 18):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ResidentIdField(forms.IntegerField):
    """A resident's file number (as on the resident's page); the view finds it in scope."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Resident file number"))
        kwargs.setdefault("help_text", _("Optional: the number of the resident's file."))
        super().__init__(min_value=1, max_value=MAX_ID, required=False, **kwargs)


class DonorForm(forms.Form):
    """登记捐赠方 or change one. Editing never puts a full ID number or phone in the page:
    those fields start empty and show the masked value; empty keeps what is on file."""

    kind = _field(Donor, "kind", widget=forms.RadioSelect)
    name = _field(Donor, "name", help_text=_("Optional for an anonymous donor."))
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=NUMBER_LENGTH,
        required=False,
        help_text=_("Optional, a person only. The same person as a resident or volunteer."),
    )
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=NUMBER_LENGTH,
        required=False,
        help_text=_("An organisation only: 18 characters."),
    )
    organisation = IdChoiceField(
        label=_("social organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("An organisation only: the social organisation registered here, if it is."),
    )
    phone = forms.CharField(label=_("phone"), max_length=NUMBER_LENGTH, required=False)
    region = RegionCodeField(
        label=_("Receiving region code"),
        help_text=_("The county, township or village receiving, e.g. 440305007003."),
    )
    note = _field(Donor, "note", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, donor: Donor | None = None, **kwargs) -> None:
        if donor is not None:
            kwargs.setdefault("initial", self.initial_from(donor))
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        self.fields["organisation"].queryset = Organisation.objects.visible_to(user).order_by(
            "name", "id"
        )
        self.donor = donor
        if donor is not None:
            keep = _("Leave empty to keep the number on file.")
            for name, mask in (("id_number", mask_id_number), ("phone", mask_phone)):
                if getattr(donor, name):
                    self.fields[name].help_text = keep
                    self.fields[name].widget.attrs["placeholder"] = mask(getattr(donor, name))

    @staticmethod
    def initial_from(donor: Donor) -> dict:
        fields = ("kind", "name", "credit_code", "organisation", "region", "note")
        return {name: getattr(donor, name) for name in fields}

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if self.donor is not None:
            for name in ("id_number", "phone"):
                if not data.get(name):
                    data.pop(name, None)
            # A donor changed to another kind drops the identifiers of the old one that the
            # form keeps on file (typed ones still reach the service and its error).
            kind = data.get("kind")
            if kind != DonorKind.PERSON and "id_number" not in data:
                data["id_number"] = ""
            if kind != DonorKind.ORGANISATION and not data.get("credit_code"):
                data["credit_code"] = ""
            if (
                kind != DonorKind.ORGANISATION
                and data.get("organisation") == self.donor.organisation
            ):
                data["organisation"] = None
        return data


class UnmaskForm(forms.Form):
    field = forms.ChoiceField(choices=[("id_number", "id_number"), ("phone", "phone")])


class DonationForm(forms.Form):
    """接收捐赠: one form for money or goods; the fields of the other kind are left out (the
    page swaps them with htmx when the kind changes, or on a plain reload)."""

    kind = forms.ChoiceField(
        label=_("kind of donation"), choices=DonationKind.choices, widget=forms.RadioSelect
    )
    donor = IdChoiceField(
        label=_("donor"),
        queryset=Donor.objects.none(),
        required=False,
        empty_label=_("Anonymous (no donor registered)"),
    )
    received_on = _field(Donation, "received_on", widget=DATE_WIDGET)
    region = RegionCodeField(
        label=_("Receiving region code"),
        required=False,
        help_text=_("Money into a fund: empty for the fund's own region."),
    )
    amount = _money(_("amount (yuan)"))
    fund = IdChoiceField(
        label=_("into community fund"),
        queryset=CommunityFund.objects.none(),
        required=False,
        empty_label=_("Not into a fund"),
    )
    item_name = _field(Donation, "item_name", required=True)
    quantity = _money(_("quantity"))
    unit = forms.CharField(label=_("unit"), max_length=10, widget=UNIT_WIDGET)
    estimated_value = _money(_("estimated value (yuan)"), required=False, min_value=0)
    note = _field(Donation, "note", widget=forms.Textarea(attrs={"rows": 2}))

    MONEY_FIELDS = ("amount", "fund")
    GOODS_FIELDS = ("item_name", "quantity", "unit", "estimated_value")

    def __init__(self, *args, user: User, kind: str = DonationKind.MONEY, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        self.fields["donor"].queryset = donor_list(user=user).order_by("name", "id")
        self.fields["fund"].queryset = fund_list(user=user).filter(status=FundStatus.ACTIVE)
        self.kind = kind if kind in DonationKind.values else DonationKind.MONEY
        other = self.GOODS_FIELDS if self.kind == DonationKind.MONEY else self.MONEY_FIELDS
        for name in other:
            del self.fields[name]
        self.fields["kind"].initial = self.kind


class CancelForm(forms.Form):
    reason = _field(Donation, "cancel_reason", required=True)


class FundForm(forms.Form):
    """设立社区基金."""

    name = _field(CommunityFund, "name")
    region = RegionCodeField(
        label=_("Region code"),
        help_text=_("The village, township or county of the fund, e.g. 440305007003."),
    )
    opened_on = _field(CommunityFund, "opened_on", widget=DATE_WIDGET, required=False)
    note = _field(CommunityFund, "note", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user


class FundEditForm(forms.Form):
    name = _field(CommunityFund, "name")
    status = _field(CommunityFund, "status")
    note = _field(CommunityFund, "note", widget=forms.Textarea(attrs={"rows": 2}))


class DisburseForm(forms.Form):
    """支出 from a fund."""

    amount = _money(_("amount (yuan)"))
    purpose = _field(FundEntry, "purpose", required=True)
    recipient = _field(FundEntry, "recipient")
    resident = ResidentIdField()
    occurred_on = _field(FundEntry, "occurred_on", widget=DATE_WIDGET, required=False)
    note = _field(FundEntry, "note", widget=forms.Textarea(attrs={"rows": 2}))


class DistributeForm(forms.Form):
    """发放 goods from stock."""

    quantity = _money(_("quantity"))
    recipient = _field(GoodsMovement, "recipient")
    resident = ResidentIdField()
    purpose = _field(GoodsMovement, "purpose")
    occurred_on = _field(GoodsMovement, "occurred_on", widget=DATE_WIDGET, required=False)
    note = _field(GoodsMovement, "note", widget=forms.Textarea(attrs={"rows": 2}))


class ReverseForm(forms.Form):
    """冲正 of an entry of either ledger."""

    reason = forms.CharField(label=_("reason"), max_length=500)
    occurred_on = forms.DateField(label=_("date"), widget=DATE_WIDGET, required=False)
