"""Page forms for regions and sites. They parse input only: what may be written, and where, is
decided by ``regions.services``; the level of a site's region by ``Site.clean()``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.accounts.models import User
from wushe.regions import codes
from wushe.regions.choices import SIX_HAVES
from wushe.regions.models import Region, Site
from wushe.regions.services import SITE_FIELDS


class RegionCodeField(forms.CharField):
    """A division code typed by the user, turned into a Region the user can see.

    A region outside the user's subtree gets the same answer as one that does not exist.
    """

    def __init__(self, *, user: User | None = None, **kwargs) -> None:
        kwargs.setdefault("label", _("Region code"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("2, 4, 6, 9 or 12 digits, e.g. 440305 or 440305007."))
        super().__init__(**kwargs)
        self.user = user

    def prepare_value(self, value):
        if isinstance(value, Region):
            return value.display_code
        return value

    def clean(self, value) -> Region | None:
        value = super().clean(value)
        if value in self.empty_values:
            return None
        code = codes.normalize_code(value)
        region = Region.objects.visible_to(self.user).filter(code=code).first()
        if region is None:
            raise ValidationError(_("No such region."), code="not_found")
        return region


class StaffField(forms.ModelMultipleChoiceField):
    """People chosen by primary key; a value no database integer can hold is refused up front
    (SQLite would otherwise overflow while looking it up)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isascii() or not text.isdigit() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


def _site_field(name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field: same label, limits and validators."""
    return Site._meta.get_field(name).formfield(**kwargs)


class SiteForm(forms.Form):
    """Create or edit a service site. A plain form, not a ModelForm: a ModelForm would change
    the instance while validating, before the service has taken its audit snapshot."""

    name = _site_field("name")
    kind = _site_field("kind")
    region = RegionCodeField()
    status = _site_field("status")
    address = _site_field("address")
    opened_on = _site_field(
        "opened_on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    floor_area = _site_field("floor_area")
    operator = _site_field("operator")
    staff = StaffField(
        label=_("staff"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
        # The chooser lists only people the editor can see.
        self.fields["staff"].queryset = (
            User.objects.visible_to(user).filter(is_active=True).order_by("username")
        )
        for key, _label in SIX_HAVES:
            self.fields[f"has_{key}"] = _site_field(f"has_{key}")
            self.fields[f"{key}_note"] = _site_field(f"{key}_note")

    @classmethod
    def initial_from(cls, site: Site, *, user: User) -> dict:
        initial = {name: getattr(site, name) for name in SITE_FIELDS}
        initial["staff"] = list(site.staff.visible_to(user).values_list("pk", flat=True))
        return initial

    def six_haves_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"has_{key}"], self[f"{key}_note"]) for key, label in SIX_HAVES]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.base_fields]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class RegionChoiceForm(forms.Form):
    """``?region=<code>`` on the coverage page."""

    region = RegionCodeField(required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user


class RegionSearchForm(forms.Form):
    q = forms.CharField(label=_("Search regions"), max_length=50, required=False)
