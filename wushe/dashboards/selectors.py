"""Reading a dashboard: one region's KPI tiles, the ranking of its children for one indicator,
the trend of that indicator over months, its children's coverage, and its map if one is
registered.

Everything is read through the indicator, statistics and region selectors with the requesting
user, so a region outside the user's subtree is a 404 and no figure comes from outside it.
``dashboard`` returns plain rows (numbers rounded to two places): the page renders its tables
from them and hands the very same rows to ECharts through ``json_script``, and the API returns
them as they are, so a chart, its table, its Excel export and the API never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from wushe.dashboards.models import RegionMap
from wushe.indicators import selectors as indicators
from wushe.indicators.attainment import Attainment
from wushe.indicators.choices import Direction
from wushe.indicators.models import Indicator
from wushe.indicators.periods import Period, add_months
from wushe.regions import selectors as regions
from wushe.regions.models import Region

SPAN_MONTH, SPAN_YTD = "month", "ytd"
TREND_MONTHS = 12
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Asked:
    """What a dashboard shows: a region, an indicator (for the ranking, the trend and the map),
    and a month read alone or as the year to date."""

    region: Region
    indicator: Indicator
    month: date
    span: str = SPAN_YTD

    @property
    def period(self) -> Period:
        if self.span == SPAN_MONTH:
            return Period.of_month(self.month)
        return Period(self.month.replace(month=1), self.month)

    @property
    def period_label(self) -> str:
        """The period in words: "2026-10", or "2026-01 to 2026-10 (year to date)"."""
        period = self.period
        if period.start == period.end:
            return f"{period.end:%Y-%m}"
        return _("%(start)s to %(end)s (year to date)") % {
            "start": f"{period.start:%Y-%m}",
            "end": f"{period.end:%Y-%m}",
        }

    @property
    def trend_period(self) -> Period:
        return Period(add_months(self.month, 1 - TREND_MONTHS), self.month)

    @property
    def query(self) -> dict[str, str]:
        return {"indicator": self.indicator.code, "month": f"{self.month:%Y-%m}", "span": self.span}

    def url_of(self, region: Region) -> str:
        """The dashboard of ``region`` asked the same way (the drill-down links)."""
        path = reverse("dashboards:dashboard_region", args=[region.display_code])
        return f"{path}?{urlencode(self.query)}"


def number(value) -> float | None:
    """A figure as JSON carries it, rounded to two places; None stays "no data"."""
    if value is None:
        return None
    return float(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def region_row(region: Region) -> dict:
    return {"code": region.display_code, "name": region.name, "level": region.level}


def _attainment_row(found: Attainment) -> dict:
    return {
        "value": number(found.value),
        "numerator": number(found.numerator),
        "denominator": number(found.denominator),
        "target": number(found.target),
        "target_year": found.target_year,
        "expected": number(found.expected),
        "gap": number(found.gap),
        "status": str(found.status),
        "status_label": found.status_label,
    }


def tile_rows(*, user, region: Region, period: Period) -> list[dict]:
    """The KPI tiles: the built-in plan indicators for the region."""
    return [
        {
            "indicator": found.indicator.code,
            "name": found.indicator.name,
            "unit": found.indicator.unit,
            **_attainment_row(found),
        }
        for found in indicators.kpis(user=user, region=region, period=period)
    ]


def ranking_and_total(*, user, asked: Asked) -> tuple[list[dict], dict]:
    """The children of the region for the asked indicator, best first, and the region's own
    row: read together (``indicator_with_children``, one query per element)."""
    sign = -1 if asked.indicator.direction == Direction.LOWER else 1
    total, children = indicators.indicator_with_children(
        user=user, indicator=asked.indicator, region=asked.region, period=asked.period
    )
    rows = [
        {**region_row(found.region), **_attainment_row(found), "url": asked.url_of(found.region)}
        for found in children
    ]
    # Highest first (lowest first when lower is better); regions without a value at the end.
    rows.sort(key=lambda row: (row["value"] is None, -sign * (row["value"] or 0)))
    return rows, {**region_row(asked.region), **_attainment_row(total)}


def trend_rows(*, user, asked: Asked) -> list[dict]:
    """One row per month of the last twelve: that month alone, or its year to date."""
    points = indicators.indicator_trend(
        user=user,
        indicator=asked.indicator,
        region=asked.region,
        period=asked.trend_period,
        cumulative=asked.span == SPAN_YTD,
    )
    return [{"month": f"{point.period.end:%Y-%m}", **_attainment_row(point)} for point in points]


def _coverage_row(coverage) -> dict:
    return {
        **region_row(coverage.region),
        "townships": coverage.townships,
        "stations": coverage.stations,
        "station_rate": coverage.station_rate,
        "villages": coverage.villages,
        "rooms": coverage.rooms,
        "room_rate": coverage.room_rate,
    }


def coverage_rows(*, user, asked: Asked) -> list[dict]:
    """社工站覆盖 of each child: stations over townships, rooms over villages (now)."""
    return [
        {**_coverage_row(coverage), "url": asked.url_of(coverage.region)}
        for coverage in regions.coverage_by_child(user=user, region=asked.region)
    ]


def coverage_total(*, user, region: Region) -> dict:
    return _coverage_row(regions.coverage_of(user=user, region=region))


def region_map_for(*, user, region: Region) -> RegionMap | None:
    """The registered map of ``region``'s children, if the user can see the region."""
    return RegionMap.objects.visible_to(user).filter(region=region).first()


def region_map_list(*, user):
    return RegionMap.objects.visible_to(user).select_related("region", "uploaded_by")


def breadcrumb(*, user, asked: Asked) -> list[dict]:
    """From the user's own region down to the asked one, never above the user's region."""
    chain = [*regions.region_ancestors(user=user, region=asked.region), asked.region]
    return [{**region_row(node), "url": asked.url_of(node)} for node in chain]


def dashboard(*, user, asked: Asked) -> dict:
    """Everything a dashboard shows, as plain rows (see the module docstring)."""
    region = asked.region
    found = region_map_for(user=user, region=region)
    ranking, total = ranking_and_total(user=user, asked=asked)
    return {
        "region": region_row(region),
        "indicator": {
            "code": asked.indicator.code,
            "name": asked.indicator.name,
            "unit": asked.indicator.unit,
        },
        "month": f"{asked.month:%Y-%m}",
        "span": asked.span,
        "period": str(asked.period),
        "period_label": asked.period_label,
        "breadcrumb": breadcrumb(user=user, asked=asked),
        "tiles": tile_rows(user=user, region=region, period=asked.period),
        "ranking": ranking,
        "total": total,
        "trend": trend_rows(user=user, asked=asked),
        "coverage": coverage_rows(user=user, asked=asked),
        "coverage_total": coverage_total(user=user, region=region),
        "map": None
        if found is None
        else {
            "url": reverse("dashboards:region_map_geojson", args=[region.display_code]),
            "approval_number": found.approval_number,
        },
    }
