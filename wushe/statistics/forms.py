"""The question a statistics page, export or API call asks: which region, which months.

One form parses it for all three (the API passes its query parameters through it), so a bad
month or code gets the same clear message everywhere. Whether the region may be seen is not
the form's business: the views answer 404 for a region outside the user's subtree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.regions import codes

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 1949, 2999


def parse_month(text: str) -> date:
    """ "2026-03" → 1 March 2026, or a ValidationError that says what is expected."""
    match = MONTH.match(text.strip()) if text.isascii() else None
    year, month = (int(match[1]), int(match[2])) if match else (0, 0)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise ValidationError(
            _("Enter a month as YYYY-MM (for example 2026-03), from %(first)s to %(last)s."),
            code="bad_month",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value

    def clean(self, value) -> date | None:
        value = super().clean(value)
        return parse_month(value) if value else None


@dataclass(frozen=True)
class Query:
    code: str | None  # the 12-digit code asked for; None: the user's own region
    month_from: date
    month_to: date


class StatisticsForm(forms.Form):
    """?region=CODE&from=YYYY-MM&to=YYYY-MM, each optional (the user's region; this year)."""

    region = forms.CharField(
        label=_("Region code"),
        max_length=20,
        required=False,
        help_text=_("2, 4, 6, 9 or 12 digits, e.g. 440305 or 440305007."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Named as the API and the links say them; Python cannot declare a field "from".
        self.fields["from"] = MonthField(label=_("From month"))
        self.fields["to"] = MonthField(label=_("To month"))

    def clean_region(self) -> str | None:
        value = self.cleaned_data["region"].strip()
        return codes.normalize_code(value) if value else None

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The period must end in or after the month it starts."))
        return cleaned

    def query(self) -> Query:
        """The question, with defaults: this year up to this month. Call after is_valid()."""
        cleaned = self.cleaned_data if self.is_bound else {}
        this_month = timezone.localdate().replace(day=1)
        end = cleaned.get("to") or max(this_month, cleaned.get("from") or this_month)
        start = cleaned.get("from") or end.replace(month=1)
        return Query(cleaned.get("region"), start, end)
