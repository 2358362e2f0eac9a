"""Rebuilding every statistics counter from the records, and checking them against it.

The definitions, one per metric (``choices.Metric``), each counted under the record's own
``region_code`` in the month of its date:

- visits, person_times: one per home visit (``visited_on``);
- cases_opened: one per case (``opened_on``); cases_closed: one per closed case (``closed_on``);
- case_records, person_times: one per case service record (``served_on``);
- groups: one per group (``started_on``); group_sessions: one per session (``held_on``);
- person_times: one per member present at a session (the session's ``held_on``);
- activities: one per community activity (``held_on``); person_times: its named participants
  plus its anonymous head count.

And the filed counters (``filed.py``): each file once in ``persons``, once per category, once
in its birth month, under its village. :func:`recompute` replaces every row with these counts
in a few set-based statements (``INSERT … SELECT … GROUP BY`` on each level's code prefix);
:func:`check` lists every row where the counters and the records disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from wushe.activities.models import Activity
from wushe.casework.models import Case, CaseRecord, HomeVisit
from wushe.groups.models import Group, GroupSession
from wushe.statistics import filed, rollup
from wushe.statistics.choices import Metric
from wushe.statistics.models import Tally

TALLIES = Tally._meta.db_table


def _count(model, day: str, *, where: str = "", measure: str = "COUNT(*)") -> str:
    """SQL: (code, month, n) of a model's rows, by region and the month of ``day``."""
    month = rollup.month_sql(day)
    return (
        f"SELECT region_code AS code, {month} AS month, {measure} AS n "
        f"FROM {model._meta.db_table}{where} GROUP BY 1, 2"
    )


def _through(model, field_name: str, day: str) -> str:
    """SQL: (code, month, n) of the rows of a many-to-many field, each one person-time, by
    the region and date of the row that holds them (a session's attendees, an activity's
    participants)."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through._meta.db_table
    month = rollup.month_sql(f"o.{day}")
    return (
        f"SELECT o.region_code AS code, {month} AS month, COUNT(*) AS n "
        f"FROM {through} t JOIN {model._meta.db_table} o ON o.id = t.{field.m2m_column_name()} "
        "GROUP BY 1, 2"
    )


def sources() -> list[tuple[str, tuple[str, ...]]]:
    """(SQL of (code, month, n), the metrics it counts in), for every counted record."""
    return [
        (_count(HomeVisit, "visited_on"), (Metric.VISITS, Metric.PERSON_TIMES)),
        (_count(Case, "opened_on"), (Metric.CASES_OPENED,)),
        (_count(Case, "closed_on", where=" WHERE closed_on IS NOT NULL"), (Metric.CASES_CLOSED,)),
        (_count(CaseRecord, "served_on"), (Metric.CASE_RECORDS, Metric.PERSON_TIMES)),
        (_count(Group, "started_on"), (Metric.GROUPS,)),
        (_count(GroupSession, "held_on"), (Metric.GROUP_SESSIONS,)),
        (_through(GroupSession, "attendees", "held_on"), (Metric.PERSON_TIMES,)),
        (_count(Activity, "held_on"), (Metric.ACTIVITIES,)),
        (_count(Activity, "held_on", measure="SUM(anonymous_count)"), (Metric.PERSON_TIMES,)),
        (_through(Activity, "participants", "held_on"), (Metric.PERSON_TIMES,)),
    ]


def tallies_sql() -> str:
    """SQL: (node, month, metric, n) of every tally row the records call for."""
    parts = []
    for index, (sql, metrics) in enumerate(sources()):
        # One scan per source, even when it counts in two metrics (a visit is also a
        # person-time): its rows are repeated once per metric by a cross join.
        names = " UNION ALL ".join(f"SELECT '{metric.value}' AS metric" for metric in metrics)
        parts.append(
            f"SELECT r{index}.code, r{index}.month, m{index}.metric, r{index}.n "
            f"FROM ({sql}) AS r{index} CROSS JOIN ({names}) AS m{index}"
        )
    return rollup.lineage_sql(" UNION ALL ".join(parts), ["month", "metric"])


def expected() -> list[tuple[str, str, str, list]]:
    """(table, label of its key columns, SQL, parameters) of every counter table's rows."""
    found = [(TALLIES, "month, metric", tallies_sql(), [])]
    found += [(table, key, sql, params) for table, key, sql, params in filed.expected_sql()]
    return found


@transaction.atomic
def recompute() -> None:
    """Replace every statistics counter with the counts from the records (after a bulk load,
    or to repair). Writers of the counters wait until it commits; on PostgreSQL the tables are
    emptied with TRUNCATE (an insert into a table full of just-deleted keys is three times
    slower), so readers of the statistics wait too."""
    tables = [TALLIES, filed.COUNTS, filed.BIRTHS]
    rollup.lock(*tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the roll-up's sorts stay in memory
            cursor.execute(f"TRUNCATE {', '.join(connection.ops.quote_name(t) for t in tables)}")
        for table, keys, sql, params in expected():
            quoted = connection.ops.quote_name(table)
            if connection.vendor != "postgresql":
                cursor.execute(f"DELETE FROM {quoted}")
            cursor.execute(rollup.insert_sql(table, _columns(keys), sql), params)
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _columns(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",")]


@dataclass(frozen=True)
class Disagreement:
    """One counter row that differs from the records (0 where a row is missing)."""

    table: str
    region_code: str
    key: tuple
    stored: int
    expected: int

    def __str__(self) -> str:
        key = " ".join(str(part) for part in self.key)
        where = f"{self.table} {self.region_code} {key}"
        return f"{where}: stored {self.stored}, records say {self.expected}"


def check() -> list[Disagreement]:
    """Every counter row that the records contradict, in a stable order. A stored zero
    equals a missing row."""
    found: list[Disagreement] = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
        for table, keys, sql, params in expected():
            found += _differences(cursor, table, _columns(keys), sql, params)
    return sorted(found, key=lambda d: (d.table, d.region_code, [str(k) for k in d.key]))


def _differences(cursor, table: str, keys: list[str], sql: str, params: list):
    """The comparison in the database: the counters of a large load do not fit in memory."""
    quoted = connection.ops.quote_name(table)
    pairs = list(zip(["node", *keys], ["region_code", *keys], strict=True))
    join = " AND ".join(f"e.{e} = s.{s}" for e, s in pairs)
    picked = ", ".join(f"COALESCE(e.{e}, s.{s})" for e, s in pairs)
    cursor.execute(
        f"SELECT {picked}, COALESCE(s.value, 0), COALESCE(e.n, 0) FROM ({sql}) AS e "
        f"FULL OUTER JOIN (SELECT * FROM {quoted} WHERE value <> 0) AS s ON {join} "
        "WHERE COALESCE(s.value, 0) <> COALESCE(e.n, 0)",
        params,
    )
    return [
        Disagreement(table, row[0], tuple(row[1:-2]), int(row[-2]), int(row[-1])) for row in cursor
    ]
