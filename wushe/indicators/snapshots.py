"""Month-end figures (月末数, 时点数) of the stock record elements that hold only the present.

Social workers, volunteers and filed residents are counted as they stand now: no record says
how many there were at the end of October. So, as statistical reporting does, the figure is
taken at the month's end: :func:`take` stores every such element's present figures as the
current month's, replacing what an earlier run of the month stored. Run daily (cron), the last
run of a month stands as its month-end figure; a month that has ended can no longer be taken
(``services.snapshot_month`` refuses it).

Which elements: the data elements from the records that are stocks and whose registered
function has no ``history`` (``elements``) — built-in or registered by an app later.

Storage (``StockSnapshot``): one row per element, month and region whose subtree figure is not
zero, and one ``SnapshotMonth`` mark per element and month taken; so in a month taken an
absent row reads 0, and a month never taken reads no data. The rows come from the element's
``snapshot`` source in one pass (the filed counters copied inside the database with one
``INSERT … SELECT``; volunteers and workers counted per the records' own region and rolled up
the lineage, then written with COPY on PostgreSQL, ``bulk_create`` elsewhere); an element
without a source is asked region by region from the country down, through its live function,
children only under regions with a figure (the figures are counts or balances, never negative,
so a zero region has zero children). A month is replaced in one transaction.

Reads (:func:`read`, :func:`read_months`) are not scoped: the selectors check the regions.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from wushe.indicators import elements
from wushe.indicators.choices import PeriodKind, Source
from wushe.indicators.models import DataElement, SnapshotMonth, StockSnapshot
from wushe.indicators.periods import Period, this_month
from wushe.regions.models import Region

TABLE = StockSnapshot._meta.db_table
COLUMNS = "element_id, month, region_code, value"
WALK_CHUNK = 400  # codes per call of a live function (SQLite's expression depth stays low)
BATCH = 5_000


@dataclass
class Taken:
    """What one run stored: the month, the elements taken, their rows, how long it took, and
    the elements skipped because their app is not installed."""

    month: date
    elements: list[str] = field(default_factory=list)
    rows: int = 0
    milliseconds: float = 0.0
    unavailable: list[str] = field(default_factory=list)


def snapshot_elements() -> list[tuple[DataElement, elements.ElementFunction]]:
    """The stock record elements whose function holds the present only, in code order."""
    found = []
    stocks = DataElement.objects.filter(source=Source.RECORDS, period_kind=PeriodKind.STOCK)
    for element in stocks.order_by("code"):
        function = elements.element_function(element.code)
        if function is not None and not function.history:
            found.append((element, function))
    return found


def take(month: date | None = None) -> Taken:
    """Store the present figures as ``month``'s (the current month: the caller checks)."""
    started = time.perf_counter()
    month = (month or this_month()).replace(day=1)
    chosen = snapshot_elements()
    codes = [element.code for element, _function in chosen]
    taken = Taken(month)
    with transaction.atomic():
        # One run at a time: a second one waits here, then replaces the first's rows.
        list(DataElement.objects.select_for_update().filter(code__in=codes).values_list("code"))
        StockSnapshot.objects.filter(element_id__in=codes, month=month).delete()
        SnapshotMonth.objects.filter(element_id__in=codes, month=month).delete()
        marks = []
        for element, function in chosen:
            try:
                rows = _rows(function)
                written = _write(element.code, month, rows)
            except elements.Unavailable:
                taken.unavailable.append(element.code)
                continue
            marks.append(
                SnapshotMonth(element=element, month=month, taken_at=timezone.now(), rows=written)
            )
            taken.elements.append(element.code)
            taken.rows += written
        SnapshotMonth.objects.bulk_create(marks)
    taken.milliseconds = (time.perf_counter() - started) * 1000
    return taken


def _rows(function: elements.ElementFunction) -> elements.Rows:
    if function.snapshot is not None:
        return function.snapshot()
    return walked(function)


def walked(function: elements.ElementFunction) -> dict[str, elements.Number]:
    """Every region's figure now from the live function, level by level from the roots, asking
    only for the children of regions with a figure."""
    period = Period.of_month(this_month())
    found: dict[str, elements.Number] = {}
    level = list(Region.objects.filter(parent__isnull=True).values_list("code", flat=True))
    while level:
        with_figure = []
        for start in range(0, len(level), WALK_CHUNK):
            answered = function.compute(level[start : start + WALK_CHUNK], period)
            for code, value in answered.items():
                if value:
                    found[code] = value
                    with_figure.append(code)
        level = []
        for start in range(0, len(with_figure), WALK_CHUNK):
            below = Region.objects.filter(parent_id__in=with_figure[start : start + WALK_CHUNK])
            level += below.values_list("code", flat=True)
    return found


# Writing ---------------------------------------------------------------------------------------


def _write(code: str, month: date, rows: elements.Rows) -> int:
    """Write one element's rows for ``month``; returns how many."""
    if isinstance(rows, QuerySet):
        return _insert_select(code, month, rows)
    if isinstance(rows, dict):
        rows = rows.items()
    kept = [(region, value) for region, value in rows if value]
    if connection.vendor == "postgresql":
        _copy(code, month, kept)
    else:
        StockSnapshot.objects.bulk_create(
            (
                StockSnapshot(element_id=code, month=month, region_code=region, value=value)
                for region, value in kept
            ),
            batch_size=BATCH,
        )
    return len(kept)


def _insert_select(code: str, month: date, rows: QuerySet) -> int:
    """Counters that hold subtrees already, copied inside the database."""
    sql, params = rows.query.sql_with_params()
    day = connection.ops.adapt_datefield_value(month)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} ({COLUMNS}) SELECT %s, %s, found.* FROM ({sql}) AS found",
            [code, day, *params],
        )
        return cursor.rowcount


def _copy(code: str, month: date, rows: list[tuple[str, elements.Number]]) -> None:
    # Codes are digits, element codes slugs, values numbers: nothing COPY would need escaped.
    head = f"{code}\t{month.isoformat()}\t"
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {TABLE} ({COLUMNS}) FROM STDIN") as copy:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                copy.write("".join([f"{head}{region}\t{value}\n" for region, value in chunk]))


# Reading ---------------------------------------------------------------------------------------


def read(element_code: str, region_codes: list[str], month: date) -> dict[str, Decimal] | None:
    """Each region's figure at the end of ``month`` (0 without a row), or None when the month
    was never taken."""
    if not SnapshotMonth.objects.filter(element_id=element_code, month=month).exists():
        return None
    found = dict.fromkeys(region_codes, Decimal(0))
    rows = StockSnapshot.objects.filter(
        element_id=element_code, month=month, region_code__in=region_codes
    ).values_list("region_code", "value")
    found.update(rows)
    return found


def read_months(element_code: str, region_code: str, months: Iterable[date]) -> dict[date, Decimal]:
    """One region's figure at the end of each of ``months`` that was taken (two queries)."""
    taken = list(
        SnapshotMonth.objects.filter(element_id=element_code, month__in=list(months)).values_list(
            "month", flat=True
        )
    )
    if not taken:
        return {}
    found = dict.fromkeys(taken, Decimal(0))
    rows = StockSnapshot.objects.filter(
        element_id=element_code, month__in=taken, region_code=region_code
    ).values_list("month", "value")
    found.update(rows)
    return found
