"""Showing indicator figures: ``{{ value|figure }}`` gives "1,234.5", or "无数据" / "no data"
when there is none; ``{{ attainment|status_class }}`` the CSS class of its status."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value, places: int = 2) -> str:
    if value is None or value == "":
        return _("no data")
    number = Decimal(value).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def status_class(attainment) -> str:
    return f"status status-{attainment.status.replace('_', '-')}"
