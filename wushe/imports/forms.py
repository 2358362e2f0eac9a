"""Page forms of the imports. They parse input only; ``services.job_create`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.imports import conf, selectors
from wushe.imports.kinds import kind_choices
from wushe.regions.models import Site


class StationField(forms.ModelChoiceField):
    def to_python(self, value):
        text = str(value or "")
        if text and (not text.isascii() or not text.isdigit() or len(text) > 18):
            # SQLite cannot even look up an integer that large: refuse it as a wrong choice.
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def label_from_instance(self, obj: Site) -> str:
        return f"{obj.name} ({obj.region.name})"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(
        label=_("File"),
        required=False,  # the service says what is wrong with a missing or bad file
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    station = StationField(
        label=_("Filing station"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only"),
        required=False,
        help_text=_(
            "Without this, nothing is written unless every row is good. With it, the good rows "
            "are written and the bad ones are listed for you to fix."
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["kind"].initial = self.fields["kind"].choices[0][0]
        if len(self.fields["kind"].choices) == 1:
            self.fields["kind"].widget = forms.HiddenInput()
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file, at most %(limit)s MB."
        ) % {"limit": conf.max_bytes() >> 20 or 1}
        if selectors.chooses_station(user):
            self.fields["station"].queryset = selectors.station_choices(user=user)
            self.fields["station"].help_text = _(
                "The station that files these residents; its area bounds their villages."
            )
        else:
            del self.fields["station"]


class ConfirmForm(forms.Form):
    valid_only = forms.BooleanField(required=False)
