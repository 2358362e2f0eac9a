"""Page forms of the indicators. They parse input; the services decide (and their errors come
back beside the fields through ``core.views.add_service_errors``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.indicators import selectors
from wushe.indicators.choices import FACTORS, Direction
from wushe.indicators.periods import Period
from wushe.regions import codes
from wushe.regions.models import Region

CODE_HELP = _("2, 4, 6, 9 or 12 digits, e.g. 440305 or 440305007.")


class RegionCodeField(forms.CharField):
    """A division code in any short form → the visible Region (the form's ``user``)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", CODE_HELP)
        kwargs.setdefault("label", _("Region code"))
        super().__init__(**kwargs)
        self.user = None

    def clean(self, value):
        if isinstance(value, Region):  # a disabled field gives back its initial region
            value = value.code
        text = super().clean(value)
        if not text:
            return None
        code = codes.normalize_code(text)
        region = Region.objects.visible_to(self.user).filter(code=code).first()
        if region is None:
            raise ValidationError(_("No such region."), code="not_found")
        return region

    def prepare_value(self, value):
        return value.display_code if isinstance(value, Region) else value


class UserForm(forms.Form):
    """A form whose region fields are limited to the user's subtree."""

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, RegionCodeField):
                field.user = user


class ElementForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("e.g. elderly_80"))
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    numerator = forms.CharField(
        label=_("Numerator"),
        max_length=40,
        help_text=_("The code of a data element."),
        widget=forms.TextInput(attrs={"list": "element-codes"}),
    )
    denominator = forms.CharField(
        label=_("Denominator"),
        max_length=40,
        required=False,
        help_text=_("The code of a data element; empty for a plain total."),
        widget=forms.TextInput(attrs={"list": "element-codes"}),
    )
    factor = forms.CharField(label=_("Factor"), max_length=20, initial="100")
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Direction.choices, initial=Direction.HIGHER
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    source = forms.CharField(label=_("Source document"), max_length=300, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        hints = ", ".join(f"{value} = {label}" for value, label in FACTORS.items())
        self.fields["factor"].help_text = hints
        if editing:
            del self.fields["code"]


class FigureForm(UserForm):
    region = RegionCodeField()
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2999)
    element = forms.ChoiceField(label=_("Data element"))
    value = forms.CharField(label=_("Value"), max_length=30)
    note = forms.CharField(label=_("Source note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        entered = selectors.element_list(user=self.user).filter(source="entered")
        self.fields["element"].choices = [(e.code, f"{e.name} ({e.code})") for e in entered]


class TargetForm(UserForm):
    region = RegionCodeField()
    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.IntegerField(label=_("By the end of year"), min_value=1949, max_value=2999)
    value = forms.CharField(label=_("Target value"), max_length=30)
    base_year = forms.IntegerField(
        label=_("Base year"),
        min_value=1949,
        max_value=2999,
        required=False,
        help_text=_("Where the path to the target starts (default: five years before)."),
    )
    base_value = forms.CharField(
        label=_("Base value"),
        max_length=30,
        required=False,
        help_text=_("The value at the end of the base year (default: 0)."),
    )
    source = forms.CharField(label=_("Source document"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        visible = selectors.indicator_list(user=self.user)
        self.fields["indicator"].choices = [(i.code, f"{i.name} ({i.code})") for i in visible]


class ValueQueryForm(forms.Form):
    """?region=CODE&period=2025 | 2025-10 | 2025-01..2025-06 (both optional: the user's
    region, this year to date). Whether the region may be seen is the view's business (404)."""

    region = forms.CharField(
        label=_("Region code"), max_length=20, required=False, help_text=CODE_HELP
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=30,
        required=False,
        help_text=_("A year (2025), a month (2025-10) or months (2025-01..2025-06)."),
    )

    def clean_region(self) -> str | None:
        text = self.cleaned_data["region"].strip()
        return codes.normalize_code(text) if text else None

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"].strip()
        return Period.parse(text) if text else Period.current()


class FigureFilterForm(UserForm):
    region = RegionCodeField(required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2999, required=False)
    element = forms.CharField(label=_("Data element"), max_length=40, required=False)
