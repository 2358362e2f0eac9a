"""Moving the statistics tallies as records change.

Every service that creates, changes or deletes a counted record calls :func:`tally` in the same
transaction: ``tally(code, day, visits=1, person_times=1)`` when a visit is recorded, the same
with negative numbers when it is deleted, and both (old negative, new positive) when its date or
region changes. The tally adds the deltas to the rows of the region and of each ancestor.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from wushe.regions import codes
from wushe.statistics.choices import Metric
from wushe.statistics.models import Tally

_METRICS = frozenset(Metric.values)


def month_of(day: date) -> date:
    return day.replace(day=1)


def tally(region_code: str, day: date, **deltas: int) -> None:
    """Add ``deltas`` (metric name → number, may be negative) for a record of ``region_code``
    dated ``day`` to the tallies of that region and all its ancestors."""
    unknown = set(deltas) - _METRICS
    if unknown:
        raise ValueError(f"unknown metrics: {sorted(unknown)}")
    month = month_of(day)
    # Sorted keys: concurrent writers lock shared ancestor rows in one order, so never deadlock.
    rows = sorted(
        (code, month, metric, delta)
        for code in codes.lineage(region_code)
        for metric, delta in deltas.items()
        if delta
    )
    if not rows:
        return
    table = connection.ops.quote_name(Tally._meta.db_table)
    placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    # Plain SQL upsert: the same statement on PostgreSQL and SQLite (≥ 3.24).
    sql = (
        f"INSERT INTO {table} (region_code, month, metric, value) VALUES {placeholders} "
        f"ON CONFLICT (region_code, month, metric) DO UPDATE SET value = {table}.value + "
        "excluded.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [part for row in rows for part in row])
