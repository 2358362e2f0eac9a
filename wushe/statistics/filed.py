"""建档人数 kept as counters: residents filed now, in all and by category, per region subtree.

What a file counts is its :class:`Counted` state: its village, its categories and its birth
month. ``persons`` counts each file once (one person, one file nationally, so this is the
distinct number of people however many categories they have); each category counts the files
that have it; the birth months make 高龄 exact on any day (``FiledBirthMonth``).

The people services call :func:`move` from the state the database held (:func:`counted`, read
under a row lock) to the new one, in the transaction of the change: the old lineage loses
what the new one gains, and shared ancestors net to nothing. Bulk writers (the residents
import's COPY) add what their files changed, counted per village as they wrote them, with
:func:`add_by_village`; :func:`recount` rebuilds a subtree from the files. ``recompute.check``
and the tests hold the counters equal to a recount from the records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import connection

from wushe.people.models import Resident, ResidentCategory
from wushe.regions import codes
from wushe.statistics import rollup
from wushe.statistics.models import FiledBirthMonth, FiledCount

PERSONS = "persons"  # the FiledCount key of the distinct total
COUNTS = FiledCount._meta.db_table
BIRTHS = FiledBirthMonth._meta.db_table
RESIDENTS = Resident._meta.db_table
CATEGORIES = ResidentCategory._meta.db_table
EVERYWHERE = (codes.ROOT_CODE, "9" * codes.CODE_LENGTH)


@dataclass(frozen=True)
class Counted:
    """What one file adds to the counters of its village's lineage."""

    region_code: str
    categories: frozenset[str]
    birth_date: date


def state(resident: Resident, categories: Iterable[str]) -> Counted:
    """The state of a file as it is being saved."""
    return Counted(resident.region_id, frozenset(categories), resident.birth_date)


def counted(resident_id: int) -> Counted:
    """The state the database holds for a file, its row locked until the end of the
    transaction: two changes of one file at once are counted one after the other, each from
    what the other left (an object read before the change could be stale)."""
    row = (
        Resident.objects.select_for_update()
        .filter(pk=resident_id)
        .values_list("region_id", "birth_date")
        .get()
    )
    categories = ResidentCategory.objects.filter(resident_id=resident_id)
    return Counted(row[0], frozenset(categories.values_list("category", flat=True)), row[1])


def move(before: Counted | None, after: Counted | None) -> None:
    """Apply a file's change from ``before`` to ``after`` (None: not filed) to the counters."""
    if before == after:
        return
    counts: dict = {}
    births: dict = {}
    for sign, one in ((-1, before), (+1, after)):
        if one is None:
            continue
        rollup.along_lineage(
            one.region_code, {PERSONS: sign, **dict.fromkeys(one.categories, sign)}, counts
        )
        rollup.along_lineage(one.region_code, {one.birth_date.replace(day=1): sign}, births)
    rollup.add(COUNTS, "key", counts)
    rollup.add(BIRTHS, "born", births)


def add_by_village(
    counts: Mapping[tuple[str, str], int], births: Mapping[tuple[str, date], int]
) -> None:
    """Add many files' changes, counted per village, to the counters of every node of each
    village's lineage: ``counts`` (village, ``PERSONS`` or a category) → number and ``births``
    (village, first day of a birth month) → number, negative for files that left a village or
    a category. What :func:`move` does one file at a time, for a bulk writer in its
    transaction: a million files are a few thousand village rows, rolled up the lineages and
    added in two statements, with no scan of the files (a :func:`recount` of a million took
    2 s)."""
    for table, key, deltas in ((COUNTS, "key", counts), (BIRTHS, "born", births)):
        rows = [(code, k, n) for (code, k), n in deltas.items() if n]
        if rows:
            _add_rolled_up(table, key, rows)


def _add_rolled_up(table: str, key: str, rows: list[tuple[str, object, int]]) -> None:
    quoted = connection.ops.quote_name(table)
    model = FiledCount if table == COUNTS else FiledBirthMonth
    key_type = model._meta.get_field(key).db_type(connection)
    with connection.cursor() as cursor:
        temp = "pg_temp" if connection.vendor == "postgresql" else "temp"
        cursor.execute(f"DROP TABLE IF EXISTS {temp}.filed_by_village")
        columns = f"code varchar(12), {key} {key_type}, n bigint"
        cursor.execute(f"CREATE TEMPORARY TABLE filed_by_village ({columns})")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY filed_by_village (code, {key}, n) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            adapt = connection.ops.adapt_datefield_value if key == "born" else (lambda k: k)
            cursor.executemany(
                "INSERT INTO filed_by_village (code, " + key + ", n) VALUES (%s, %s, %s)",
                [(code, adapt(k), n) for code, k, n in rows],
            )
        rolled = rollup.lineage_sql(f"SELECT code, {key}, n FROM filed_by_village", [key])
        # In key order, as rollup.add locks rows: concurrent writers never deadlock. (SQLite
        # wants a WHERE before ON CONFLICT in an INSERT … SELECT.)
        cursor.execute(
            f"INSERT INTO {quoted} (region_code, {key}, value) SELECT * FROM ({rolled}) AS d "
            f"WHERE true ORDER BY 1, 2 ON CONFLICT (region_code, {key}) "
            f"DO UPDATE SET value = {quoted}.value + excluded.value"
        )
        cursor.execute(f"DROP TABLE {temp}.filed_by_village")


def _counts_source() -> str:
    """SQL of the files' own counts, per village and key, inside the range (%s, %s) twice."""
    return (
        f"SELECT region_code AS code, '{PERSONS}' AS key, COUNT(*) AS n FROM {RESIDENTS} "
        "WHERE region_code BETWEEN %s AND %s GROUP BY 1, 2 "
        f"UNION ALL SELECT r.region_code, c.category, COUNT(*) FROM {CATEGORIES} c "
        f"JOIN {RESIDENTS} r ON r.id = c.resident_id "
        "WHERE r.region_code BETWEEN %s AND %s GROUP BY 1, 2"
    )


def _births_source() -> str:
    born = rollup.month_sql("birth_date")
    return (
        f"SELECT region_code AS code, {born} AS born, COUNT(*) AS n FROM {RESIDENTS} "
        "WHERE region_code BETWEEN %s AND %s GROUP BY 1, 2"
    )


def expected_sql(code_range: tuple[str, str] = EVERYWHERE) -> list[tuple[str, str, list]]:
    """(table, key column, SQL with its parameters) of what each counter table must hold for
    the nodes inside ``code_range``, counted from the files in it."""
    low, high = code_range
    found = []
    for table, key, source, params in (
        (COUNTS, "key", _counts_source(), [low, high, low, high]),
        (BIRTHS, "born", _births_source(), [low, high]),
    ):
        sql = rollup.lineage_sql(source, [key], nodes="node BETWEEN %s AND %s")
        found.append((table, key, sql, [*params, low, high]))
    return found


def recount(code_range: tuple[str, str] = EVERYWHERE) -> None:
    """Rebuild the counters of every node inside ``code_range`` (a subtree's range, as
    ``User.scope_range`` gives it) from the files there, and move the nodes above by what the
    subtree's top node changed. After a bulk write inside one user's subtree (the import), the
    counters are exact again at a cost that grows with that subtree, not with the country.
    Call it in the transaction of the write."""
    low, high = code_range
    top = low  # a subtree's range starts with its own padded code
    rollup.lock(COUNTS, BIRTHS)
    with connection.cursor() as cursor:
        for table, key, sql, params in expected_sql(code_range):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT {key}, value FROM {quoted} WHERE region_code = %s", [top])
            old = dict(cursor.fetchall())
            cursor.execute(f"DELETE FROM {quoted} WHERE region_code BETWEEN %s AND %s", [low, high])
            cursor.execute(rollup.insert_sql(table, [key], sql), params)
            cursor.execute(f"SELECT {key}, value FROM {quoted} WHERE region_code = %s", [top])
            new = dict(cursor.fetchall())
            changed = {k: new.get(k, 0) - old.get(k, 0) for k in old.keys() | new.keys()}
            above = {
                (node, k): delta
                for node in codes.lineage(top)[1:]
                for k, delta in changed.items()
                if delta
            }
            rollup.add(table, key, above)
