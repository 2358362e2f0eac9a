"""The tables beside the charts: which columns, under which names, in which order.

The page, the Excel export of each table and the chart all read the rows of
``selectors.dashboard``; these columns say how a row is shown (a figure, "无数据", a status, a
link down to the child's dashboard), so the table on screen and the exported one are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.indicators.templatetags.indicator_tags import figure

TEXT, NUMBER, VALUE, STATUS, NAME = "text", "number", "value", "status", "name"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = NUMBER

    @property
    def is_number(self) -> bool:
        return self.kind in (NUMBER, VALUE)

    def excel(self, row: dict):
        """The cell as exported: numbers stay numbers; a missing value says "no data"."""
        value = row.get(self.key)
        if value is None:
            return _("no data") if self.kind == VALUE else None
        return value

    def html(self, row: dict) -> SafeString:
        value = row.get(self.key)
        if self.kind == NAME and row.get("url"):
            return format_html('<a href="{}">{}</a>', row["url"], value)
        if self.kind == STATUS:
            css = str(row.get("status", "")).replace("_", "-")
            return format_html('<span class="status status-{}">{}</span>', css, value)
        if value is None:
            return format_html("{}", _("no data") if self.kind == VALUE else "—")
        if self.kind in (NUMBER, VALUE) and not isinstance(value, str):
            return format_html("{}", figure(value))
        return format_html("{}", value)


def _c(key: str, label: str, kind: str = NUMBER) -> Column:
    return Column(key, label, kind)


TABLES: dict[str, list[Column]] = {
    "kpis": [
        _c("name", gettext_lazy("Indicator"), TEXT),
        _c("value", gettext_lazy("Value"), VALUE),
        _c("unit", gettext_lazy("Unit"), TEXT),
        _c("target", gettext_lazy("Target")),
        _c("target_year", gettext_lazy("Target year"), TEXT),
        _c("gap", gettext_lazy("Gap")),
        _c("status_label", gettext_lazy("Status"), STATUS),
    ],
    "ranking": [
        _c("name", gettext_lazy("Region"), NAME),
        _c("code", gettext_lazy("Code"), TEXT),
        _c("numerator", gettext_lazy("Numerator")),
        _c("denominator", gettext_lazy("Denominator")),
        _c("value", gettext_lazy("Value"), VALUE),
        _c("target", gettext_lazy("Target")),
        _c("gap", gettext_lazy("Gap")),
        _c("status_label", gettext_lazy("Status"), STATUS),
    ],
    "trend": [
        _c("month", gettext_lazy("Month"), TEXT),
        _c("value", gettext_lazy("Value"), VALUE),
        _c("expected", gettext_lazy("Expected")),
        _c("target", gettext_lazy("Target")),
        _c("status_label", gettext_lazy("Status"), STATUS),
    ],
    "coverage": [
        _c("name", gettext_lazy("Region"), NAME),
        _c("code", gettext_lazy("Code"), TEXT),
        _c("townships", gettext_lazy("Townships (乡镇街道数)")),
        _c("stations", gettext_lazy("Townships with an operating station")),
        _c("station_rate", gettext_lazy("Station coverage (%)"), VALUE),
        _c("villages", gettext_lazy("Villages (村社区数)")),
        _c("rooms", gettext_lazy("Villages with an operating room")),
        _c("room_rate", gettext_lazy("Room coverage (%)"), VALUE),
    ],
}


def table_rows(data: dict, table: str) -> tuple[list[dict], dict | None]:
    """The rows of one table of a dashboard, and its total row (if it has one)."""
    return {
        "kpis": (data["tiles"], None),
        "ranking": (data["ranking"], data["total"]),
        "trend": (data["trend"], None),
        "coverage": (data["coverage"], data["coverage_total"]),
    }[table]


def caption(data: dict, table: str) -> str:
    names = {
        "region": data["region"]["name"],
        "indicator": data["indicator"]["name"],
        "period": data["period_label"],
    }
    return {
        "kpis": _("Plan indicators of %(region)s, %(period)s"),
        "ranking": _("%(indicator)s by region below %(region)s, %(period)s"),
        "trend": _("%(indicator)s of %(region)s by month"),
        "coverage": _("Station and room coverage below %(region)s (now)"),
    }[table] % names
