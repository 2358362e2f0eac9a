"""Small builders the indicator tests share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wushe.indicators import entries, services
from wushe.indicators.models import DataElement, Indicator
from wushe.regions.models import Region
from wushe.statistics.tallies import tally

NANSHAN, YUEHAI, SHEKOU = "440305000000", "440305007000", "440305005000"
SHENZHEN, GUANGDONG = "440300000000", "440000000000"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def element(code: str) -> DataElement:
    return DataElement.objects.get(code=code)


def indicator(code: str) -> Indicator:
    return Indicator.objects.select_related("numerator", "denominator").get(code=code)


def enter(actor, code: str, element_code: str, value, year: int = 2025, note: str = ""):
    return entries.entered_value_set(
        actor=actor,
        region=region(code),
        year=year,
        element=element(element_code),
        value=value,
        note=note,
    )


def visits(code: str, day: date, count: int = 1) -> None:
    """Visits as the casework services tally them (the counters are what indicators read)."""
    tally(code, day, visits=count, person_times=count)


def define(actor, code: str, numerator: str, denominator: str | None = None, factor=1, **extra):
    return services.indicator_create(
        actor=actor,
        code=code,
        name_zh=code,
        numerator=numerator,
        denominator=denominator,
        factor=Decimal(factor),
        **extra,
    )
