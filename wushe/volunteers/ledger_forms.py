"""Page forms for the ledger (service hours, honour hours, redemptions, corrections) and for
issuing a certificate. Amounts are passed as typed: the ledger services check them."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.activities.models import Activity
from wushe.volunteers.certificates import issuer_choices
from wushe.volunteers.choices import Tier
from wushe.volunteers.forms import IdChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _day(required: bool = True) -> forms.DateField:
    return forms.DateField(label=_("date"), widget=DATE, required=required)


def _content() -> forms.CharField:
    return forms.CharField(label=_("content of service"), max_length=200)


def _note() -> forms.CharField:
    return forms.CharField(
        label=_("note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceForm(forms.Form):
    """服务时长: hours served on one day; the points follow from the region's rule."""

    occurred_on = _day()
    hours = forms.CharField(label=_("hours"), max_length=20, help_text=_("0 to 24, e.g. 2.5"))
    tier = forms.ChoiceField(label=_("task tier"), choices=Tier.choices, initial=Tier.BASIC)
    activity = IdChoiceField(label=_("activity"), queryset=Activity.objects.none(), required=False)
    content = forms.CharField(
        label=_("content of service"),
        max_length=200,
        required=False,
        help_text=_("Shown on the certificate. Empty: the activity's theme."),
    )
    note = _note()

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # The past year's activities keep the list short; older service is recorded without one.
        since = timezone.localdate() - timedelta(days=366)
        activities = Activity.objects.visible_to(user).filter(held_on__gte=since)
        self.fields["activity"].queryset = activities.order_by("-held_on", "-id")


class HonourForm(forms.Form):
    """荣誉时长: hours recognised by an administrator, without points."""

    occurred_on = _day()
    hours = forms.CharField(label=_("hours"), max_length=20)
    content = _content()
    note = _note()


class RedeemForm(forms.Form):
    points = forms.CharField(label=_("points"), max_length=20)
    content = forms.CharField(
        label=_("redeemed for"), max_length=200, help_text=_("What the points were exchanged for.")
    )
    occurred_on = _day(required=False)
    note = _note()


class CorrectForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CertificateForm(forms.Form):
    issuer_site = IdChoiceField(
        label=_("issuing site"),
        queryset=None,
        required=False,
        empty_label=_("The volunteer's own station"),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer_site"].queryset = issuer_choices(user)
