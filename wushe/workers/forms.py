"""Page forms for social workers. They parse input only; every rule (scope, ID number, phone,
certificate, dates) is checked by the services, whose errors go back beside the fields.

Editing never puts a full ID number or phone in the page: those fields start empty with the
masked value as a placeholder, and empty keeps what is on file."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import Role, User
from wushe.people.identity import mask_id_number
from wushe.people.phones import mask_phone
from wushe.workers.models import SocialWorker, Training
from wushe.workers.selectors import worker_sites
from wushe.workers.services import UNMASKABLE, WORKER_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_LENGTH = 40  # room for spaces and dashes typed around a number
STAFF_ROLES = (Role.ADMIN, Role.MANAGER, Role.WORKER)


def _field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits, validators."""
    return model._meta.get_field(name).formfield(**kwargs)


class IdChoiceField(forms.ModelChoiceField):
    """A choice by id; a value no database integer holds is refused up front."""

    def to_python(self, value):
        text = str(value) if value is not None else ""
        if text and (not text.isascii() or not text.isdigit() or len(text) > 18):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SocialWorkerForm(forms.Form):
    """登记社会工作者 or change one."""

    name = _field(SocialWorker, "name")
    gender = _field(SocialWorker, "gender", required=False)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=NUMBER_LENGTH,
        required=False,
        help_text=_("Optional. The same person as a resident or volunteer is one person."),
    )
    phone = forms.CharField(label=_("phone"), max_length=NUMBER_LENGTH, required=False)
    site = IdChoiceField(label=_("site"), queryset=SocialWorker.objects.none())
    user = IdChoiceField(
        label=_("sign-in account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Optional: the account this social worker signs in with."),
    )
    certificate_level = _field(SocialWorker, "certificate_level")
    certificate_number = _field(SocialWorker, "certificate_number")
    certificate_year = _field(SocialWorker, "certificate_year")
    employment = _field(SocialWorker, "employment")
    education = _field(SocialWorker, "education")
    major = _field(SocialWorker, "major")
    is_supervisor = _field(SocialWorker, "is_supervisor")
    stars = _field(SocialWorker, "stars", min_value=0)
    status = _field(SocialWorker, "status")
    joined_on = _field(SocialWorker, "joined_on", widget=DATE_WIDGET)
    left_on = _field(SocialWorker, "left_on", widget=DATE_WIDGET)

    def __init__(self, *args, user: User, worker: SocialWorker | None = None, **kwargs) -> None:
        if worker is not None:
            kwargs.setdefault("initial", self.initial_from(worker))
        super().__init__(*args, **kwargs)
        self.worker = worker
        self.fields["site"].queryset = worker_sites(user=user)
        self.fields["user"].queryset = (
            User.objects.visible_to(user)
            .filter(is_active=True, role__in=STAFF_ROLES)
            .order_by("username")
        )
        if worker is not None:
            keep = _("Leave empty to keep the number on file.")
            for name, mask in (("id_number", mask_id_number), ("phone", mask_phone)):
                if getattr(worker, name):
                    self.fields[name].help_text = keep
                    self.fields[name].widget.attrs["placeholder"] = mask(getattr(worker, name))

    @staticmethod
    def initial_from(worker: SocialWorker) -> dict:
        hidden = ("id_number", "phone")
        return {name: getattr(worker, name) for name in WORKER_FIELDS if name not in hidden}

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if self.worker is not None:
            for name in UNMASKABLE:
                if not data.get(name):
                    data.pop(name, None)
        return data


class TrainingForm(forms.Form):
    title = _field(Training, "title")
    provider = _field(Training, "provider")
    held_on = _field(Training, "held_on", widget=DATE_WIDGET)
    hours = _field(Training, "hours", min_value=Decimal("0.1"))


class UnmaskForm(forms.Form):
    field = forms.ChoiceField(choices=[(name, name) for name in UNMASKABLE])
