"""``{% cell column row %}``: one cell of a dashboard table, shown as ``tables.Column`` says."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def cell(column, row):
    return column.html(row)


@register.filter
def status_css(status: str) -> str:
    """met → "status-met", on_track → "status-on-track" (the classes of dashboard.css)."""
    return "status-" + str(status or "").replace("_", "-")
