"""Page forms for teams, the skills taxonomy and the points and star rules of a region."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.regions.forms import RegionCodeField
from wushe.regions.models import Region
from wushe.volunteers.models import PointsRule, Skill, StarRule, Volunteer, VolunteerTeam
from wushe.volunteers.rule_services import POINTS_FIELDS, STAR_FIELDS
from wushe.volunteers.selectors import volunteer_list

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class VolunteerNumbersField(forms.CharField):
    """Volunteers named by their numbers (V…), separated by spaces, commas or new lines; a
    number the user cannot see is "no such volunteer", as one that does not exist."""

    def __init__(self, *, multiple: bool = True, **kwargs) -> None:
        kwargs.setdefault("max_length", 20_000)
        super().__init__(**kwargs)
        self.multiple = multiple
        self.user: User | None = None

    def prepare_value(self, value):
        if isinstance(value, Volunteer):
            return value.number
        if isinstance(value, list | tuple):
            return " ".join(v.number if isinstance(v, Volunteer) else str(v) for v in value)
        return value

    def clean(self, value):
        text = super().clean(value) or ""
        numbers = [n.upper() for n in _SEPARATORS.split(text.strip()) if n]
        if not self.multiple and len(numbers) > 1:
            raise ValidationError(_("Enter one volunteer number."), code="one")
        found = {v.number: v for v in volunteer_list(user=self.user).filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise ValidationError(
                _("No such volunteer: %(numbers)s.") % {"numbers": ", ".join(missing[:5])},
                code="not_found",
            )
        chosen = [found[n] for n in dict.fromkeys(numbers)]
        return chosen if self.multiple else (chosen[0] if chosen else None)


class TeamForm(forms.Form):
    name = VolunteerTeam._meta.get_field("name").formfield()
    region = RegionCodeField(help_text=_("A county, township or village code, e.g. 440305007."))
    members = VolunteerNumbersField(
        label=_("members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Volunteer numbers, separated by spaces or commas."),
    )
    leader = VolunteerNumbersField(
        label=_("leader"),
        multiple=False,
        required=False,
        max_length=40,
        help_text=_("The volunteer number of one of the members."),
    )
    note = VolunteerTeam._meta.get_field("note").formfield(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, team: VolunteerTeam | None = None, **kwargs) -> None:
        if team is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": team.name,
                    "region": team.region,
                    "members": list(team.members.order_by("number")),
                    "leader": team.leader,
                    "note": team.note,
                },
            )
        super().__init__(*args, **kwargs)
        for name in ("region", "members", "leader"):
            self.fields[name].user = user


class SkillForm(forms.Form):
    code = Skill._meta.get_field("code").formfield(
        help_text=_("A stable English key, e.g. elder_care. It never changes.")
    )
    name = Skill._meta.get_field("name").formfield()


class SkillEditForm(forms.Form):
    name = Skill._meta.get_field("name").formfield()
    active = forms.BooleanField(label=_("in use"), required=False)


class RegionChoiceForm(forms.Form):
    """``?region=<code>`` on the rules page (default: the user's own region)."""

    region = RegionCodeField(required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user

    def chosen(self) -> Region | None:
        return self.cleaned_data.get("region") if self.is_bound and self.is_valid() else None


class RuleForm(forms.Form):
    """A region's own rule: the region travels in a hidden field, checked like a typed code."""

    region = RegionCodeField(widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user


class PointsRuleForm(RuleForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in POINTS_FIELDS:
            self.fields[name] = PointsRule._meta.get_field(name).formfield()


class StarRuleForm(RuleForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in STAR_FIELDS:
            self.fields[name] = StarRule._meta.get_field(name).formfield(
                max_value=100_000, min_value=1
            )
