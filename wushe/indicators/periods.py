"""The period an indicator is read for: whole months, from ``start`` to ``end`` (both first days
of months, both included).

Flow elements sum the months of the period; stock elements are read at its end; entered
elements and targets use the year of its end. A year that is still running ends with the
current month (year to date): the months to come have no records yet.

Written forms (pages, the API, ``Period.parse``): ``2025`` (the year), ``2025-10`` (one
month), ``2025-01..2025-06`` (a span of months).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1949, 2999
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start.day != 1 or self.end.day != 1:
            raise ValueError("periods are whole months: pass the first day of each month")
        if self.start > self.end:
            raise ValueError("a period ends in or after the month it starts")

    @classmethod
    def of_year(cls, year: int, *, today: date | None = None) -> Period:
        """January to December, or to the current month while the year runs."""
        now = (today or timezone.localdate()).replace(day=1)
        end = date(year, 12, 1)
        if year == now.year:
            end = now
        return cls(date(year, 1, 1), end)

    @classmethod
    def of_month(cls, month: date) -> Period:
        first = month.replace(day=1)
        return cls(first, first)

    @classmethod
    def current(cls) -> Period:
        """This year to date: what a dashboard shows unless asked otherwise."""
        return cls.of_year(timezone.localdate().year)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025``, ``2025-10`` or ``2025-01..2025-06``; a ValidationError says what is
        expected otherwise."""
        raw = str(text or "").strip()
        if raw.isascii():
            if match := _YEAR.match(raw):
                return cls.of_year(_year(int(match[1])))
            if ".." in raw:
                first, _sep, last = raw.partition("..")
                start, end = _month(first), _month(last)
                if start > end:
                    raise ValidationError(
                        _("The period must end in or after the month it starts."),
                        code="bad_period",
                    )
                return cls(start, end)
            if _MONTH.match(raw):
                return cls.of_month(_month(raw))
        raise _bad()

    @property
    def year(self) -> int:
        """The year entered figures and targets are read for: the year of the period's end."""
        return self.end.year

    @property
    def months(self) -> list[date]:
        found, month = [], self.start
        while month <= self.end:
            found.append(month)
            month = add_months(month, 1)
        return found

    @property
    def is_current(self) -> bool:
        """Whether it reaches the current month, where stock counters hold the present."""
        return self.end >= this_month()

    def __str__(self) -> str:
        """The written form ``parse`` reads back."""
        if self.start == self.end:
            return f"{self.end:%Y-%m}"
        if (self.start.month, self.end.month) == (1, 12) and self.start.year == self.end.year:
            return f"{self.end.year}"
        return f"{self.start:%Y-%m}..{self.end:%Y-%m}"


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise _bad()
    return year


def _month(text: str) -> date:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise _bad()
    return date(_year(int(match[1])), int(match[2]), 1)


def _bad() -> ValidationError:
    return ValidationError(
        _(
            "Enter a period as a year (2025), a month (2025-10) or a span of months "
            "(2025-01..2025-06)."
        ),
        code="bad_period",
    )
