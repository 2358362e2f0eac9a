"""The questions the dashboard pages, the report downloads and their API ask, parsed once with
the same messages everywhere. Whether a region may be seen is not a form's business: the views
answer 404 for a region outside the user's subtree."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wushe.dashboards.selectors import SPAN_MONTH, SPAN_YTD
from wushe.indicators import selectors as indicators
from wushe.indicators.models import Indicator
from wushe.indicators.periods import Period, this_month
from wushe.regions import codes

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 1949, 2999
SPANS = [(SPAN_YTD, _("Year to date")), (SPAN_MONTH, _("The month alone"))]
FORMATS = [("xlsx", "Excel (.xlsx)"), ("pdf", "PDF")]


def parse_month(text: object) -> date:
    """ "2026-10" → 1 October 2026, or a ValidationError that says what is expected."""
    raw = str(text or "").strip()
    match = MONTH.match(raw) if raw.isascii() else None
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
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, date) else value

    def clean(self, value) -> date | None:
        value = super().clean(value)
        return parse_month(value) if value else None


class RegionCodeField(forms.CharField):
    """A division code in any of its 2/4/6/9/12-digit forms, as the full 12 digits."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Region code"))
        super().__init__(**kwargs)

    def clean(self, value) -> str | None:
        value = super().clean(value)
        return codes.normalize_code(value) if value else None


class DashboardForm(forms.Form):
    """?indicator=CODE&month=YYYY-MM&span=ytd|month, each optional."""

    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    month = MonthField(label=_("Month"), required=False)
    span = forms.ChoiceField(label=_("Period"), choices=SPANS, required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {
            one.code: one for one in indicators.indicator_list(user=user).order_by("position")
        }
        self.fields["indicator"].choices = [(c, one.name) for c, one in self.indicators.items()]

    def chosen(self) -> tuple[Indicator | None, date, str]:
        """The indicator, month and span asked, with their defaults. Call after is_valid()."""
        cleaned = self.cleaned_data if self.is_bound else {}
        default = next(iter(self.indicators.values()), None)
        indicator = self.indicators.get(cleaned.get("indicator") or "", default)
        return indicator, cleaned.get("month") or this_month(), cleaned.get("span") or SPAN_YTD


class DashboardApiForm(DashboardForm):
    """The page's question, or ``period``: 2026 (the year to date), 2026-10 (the month alone),
    2026-01..2026-10 (a year to date, so it must start in January)."""

    period = forms.CharField(label=_("Period"), max_length=20, required=False)

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        period = Period.parse(text)
        if period.start != period.end and period.start != period.end.replace(month=1):
            raise ValidationError(
                _("A span of months must start in January of its last month's year."),
                code="bad_span",
            )
        return period

    def chosen(self) -> tuple[Indicator | None, date, str]:
        indicator, month, span = super().chosen()
        period = self.cleaned_data.get("period")
        if period is not None:
            month, span = period.end, SPAN_MONTH if period.start == period.end else SPAN_YTD
        return indicator, month, span


class MonthlyReportForm(forms.Form):
    """?region=CODE&month=YYYY-MM&format=xlsx|pdf (region: default the user's own)."""

    region = RegionCodeField(required=False)
    month = MonthField(label=_("Month"))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)


class RegionMapForm(forms.Form):
    region = RegionCodeField(help_text=_("The region whose children the map shows."))
    approval_number = forms.CharField(
        label=_("Map approval number (审图号)"),
        max_length=60,
        help_text=_("As printed on the approved map, for example GS(2019)1822号."),
    )
    geojson = forms.FileField(
        label=_("GeoJSON file"),
        help_text=_("A FeatureCollection with one polygon per child region, named as the region."),
    )
