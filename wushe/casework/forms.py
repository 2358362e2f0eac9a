"""Page forms for visits, cases and visit frequencies. They parse input only: dates, scope,
stages and roles are checked by the casework services, whose errors go back beside the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.casework.case_services import MAX_MINUTES
from wushe.casework.cases import REQUIRED, Method, Stage, next_stage
from wushe.casework.models import Case, HomeVisit
from wushe.casework.services import VISIT_FIELDS, WRITERS
from wushe.people.choices import Category
from wushe.regions.choices import SiteKind
from wushe.regions.forms import RegionCodeField
from wushe.regions.models import Region, Site
from wushe.regions.selectors import site_list

NOTES_LENGTH = 5000  # the API's limit too
CHANGED_MEANWHILE = _(
    "The case has moved on since this page was shown (a second click, or someone else). "
    "Look at it again before going further."
)
DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _text(label, *, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NOTES_LENGTH,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _is_id(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


class IdChoiceField(forms.ModelChoiceField):
    """An object chosen by id; a value no database integer can hold is "not a valid choice"
    (SQLite would otherwise overflow while looking it up)."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


UserChoiceField = IdChoiceField


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


def colleagues(user: User, keep: QuerySet | None = None) -> QuerySet[User]:
    """The people a user may name as workers: active writers they can see (and, on an edit,
    whoever is already named)."""
    visible = User.objects.visible_to(user).filter(is_active=True, role__in=WRITERS)
    if keep is not None:
        visible = visible | User.objects.filter(pk__in=keep.values("pk"))
    return visible.order_by("username")


class VisitForm(forms.Form):
    """入户走访: record or correct a visit."""

    visited_on = HomeVisit._meta.get_field("visited_on").formfield(**DATE_WIDGET)
    workers = UsersChoiceField(
        label=_("workers"),
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    findings = _text(_("findings"), rows=5)
    needs_found = _text(_("needs found"))
    next_visit_on = HomeVisit._meta.get_field("next_visit_on").formfield(**DATE_WIDGET)

    def __init__(self, *args, user: User, visit: HomeVisit | None = None, **kwargs) -> None:
        if visit is not None:
            kwargs.setdefault("initial", self.initial_from(visit))
        else:
            kwargs.setdefault("initial", {"visited_on": timezone.localdate(), "workers": [user]})
        super().__init__(*args, **kwargs)
        keep = visit.workers.all() if visit is not None else None
        self.fields["workers"].queryset = colleagues(user, keep)

    @staticmethod
    def initial_from(visit: HomeVisit) -> dict:
        initial = {name: getattr(visit, name) for name in VISIT_FIELDS}
        initial["workers"] = list(visit.workers.all())
        return initial


class CaseOpenForm(forms.Form):
    """接案: the presenting problem, when, and who works the case."""

    problem = _text(_("presenting problem"), required=True, rows=5)
    opened_on = Case._meta.get_field("opened_on").formfield(**DATE_WIDGET)
    worker = UserChoiceField(label=_("case worker"), queryset=User.objects.none())

    def __init__(self, *args, user: User, **kwargs) -> None:
        kwargs.setdefault("initial", {"opened_on": timezone.localdate(), "worker": user})
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = colleagues(user)


# The field each stage asks for, as the case detail page shows it.
STAGE_FIELD_LABELS = {
    "assessment": _("assessment"),
    "plan": _("service plan"),
    "evaluation": _("evaluation"),
    "closing_summary": _("closing summary"),
}


class AdvanceForm(forms.Form):
    """The fields the case's next stage requires, and nothing else. They are optional here: the
    service says which are missing, in the words of the stage."""

    # The stage the form was shown for: a second click, or a page left open while someone else
    # moved the case on, must not push the case one stage further than the person meant.
    from_stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("initial", {"from_stage": case.stage})
        super().__init__(*args, **kwargs)
        self.case_stage = case.stage
        self.target = next_stage(case.stage)
        for name in REQUIRED.get(self.target, ()):
            self.fields[name] = _text(STAGE_FIELD_LABELS[name], rows=5)
        if self.target == Stage.CLOSED:
            self.fields["closed_on"] = Case._meta.get_field("closed_on").formfield(
                initial=timezone.localdate, **DATE_WIDGET
            )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("from_stage", self.case_stage) not in ("", self.case_stage):
            raise ValidationError(CHANGED_MEANWHILE, code="changed")
        return data

    def service_arguments(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data.pop("from_stage", None)
        return data


class CaseRecordForm(forms.Form):
    """个案服务记录: one piece of service on the case."""

    served_on = forms.DateField(label=_("served on"), initial=timezone.localdate, **DATE_WIDGET)
    minutes = forms.IntegerField(label=_("minutes"), min_value=1, max_value=MAX_MINUTES)
    method = forms.ChoiceField(label=_("method"), choices=[("", "—"), *Method.choices])
    notes = _text(_("notes"))


class FrequencyForm(forms.Form):
    """走访频次 of a category for a region (and everything under it)."""

    region = RegionCodeField(
        label=_("Region code"),
        help_text=_("The rule applies to this region and everything under it."),
    )
    category = forms.ChoiceField(label=_("category"), choices=[("", "—"), *Category.choices])
    interval_days = forms.IntegerField(
        label=_("visit at least every (days)"), min_value=1, max_value=32767
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user


class RegionChoiceForm(forms.Form):
    """``?region=<code>`` on the overdue and frequency pages (default: the user's own)."""

    region = RegionCodeField(required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user

    def chosen(self) -> Region | None:
        return self.cleaned_data.get("region") if self.is_bound and self.is_valid() else None


class OverdueForm(RegionChoiceForm):
    """The overdue list of a station (its township) or of any region code."""

    station = IdChoiceField(label=_("station"), queryset=Site.objects.none(), required=False)

    field_order = ["station", "region"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        stations = site_list(user=user).filter(kind=SiteKind.STATION).order_by("region_id")
        self.fields["station"].queryset = stations

    def chosen(self) -> Region | None:
        if not (self.is_bound and self.is_valid()):
            return None
        station = self.cleaned_data.get("station")
        return station.region if station else self.cleaned_data.get("region")
