"""The SQL the counters share: adding deltas along a lineage, and rolling records up it.

A record counts in its own region and in every ancestor (``codes.lineage``: the padded 12, 9,
6, 4, 2 and 0-digit prefixes of its code, each node once). The services add their deltas row
by row with :func:`add` (an upsert, the same statement on PostgreSQL and SQLite); the recounts
roll whole tables up with :func:`lineage_sql`, one ``GROUP BY`` per level on the code prefix,
so ten million records are a handful of set-based statements, not ten million Python loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import connection

from wushe.regions import codes

# (prefix length, the next longer length in the lineage). A prefix yields a node of its own
# only where the digits between it and the next longer prefix are not all zeros: otherwise its
# padded form is that longer node again (a township's 9- and 12-digit forms, say).
LEVELS = ((12, None), (9, 12), (6, 9), (4, 6), (2, 4), (0, 2))


def node_sql(code: str, length: int) -> str:
    """SQL of the padded ``length``-digit prefix of the code column ``code``."""
    if length == codes.CODE_LENGTH:
        return code
    padding = "0" * (codes.CODE_LENGTH - length)
    return f"'{padding}'" if length == 0 else f"substr({code}, 1, {length}) || '{padding}'"


def lineage_sql(source: str, keys: Iterable[str], *, nodes: str = "") -> str:
    """SQL: the rows of ``source`` (a SELECT of ``code``, the ``keys`` and a count ``n``)
    summed into every node of each code's lineage, as (node, keys…, n), zeros left out;
    ``nodes`` optionally restricts the nodes (SQL on ``node``). The source is computed once (a
    CTE read by each level), each level grouped on its prefix, then merged: a node can come
    from two levels (a township's own activities and its villages' visits)."""
    keys = list(keys)
    columns = ", ".join(keys)
    positions = ", ".join(str(i) for i in range(1, len(keys) + 2))
    branches = []
    for length, longer in LEVELS:
        where = ""
        if longer is not None:
            zeros = "0" * (longer - length)
            where = f" WHERE substr(code, {length + 1}, {longer - length}) <> '{zeros}'"
        branches.append(
            f"SELECT {node_sql('code', length)} AS node, {columns}, SUM(n) AS n "
            f"FROM src{where} GROUP BY {positions}"
        )
    union = " UNION ALL ".join(branches)
    restrict = f" WHERE {nodes}" if nodes else ""
    return (
        f"WITH src AS ({source}) SELECT node, {columns}, SUM(n) AS n FROM ({union}) AS lineage"
        f"{restrict} GROUP BY {positions} HAVING SUM(n) <> 0"
    )


def month_sql(column: str) -> str:
    """SQL of the first day of the month of a date column, as the DateField stores it."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def add(table: str, key_column: str, deltas: Mapping[tuple[str, object], int]) -> None:
    """Add ``deltas`` ((node code, key) → number) to the ``value`` of counter rows, creating
    missing rows. Call inside the transaction of the change; zeros are skipped."""
    # Sorted keys: concurrent writers lock shared ancestor rows in one order, so never deadlock.
    rows = sorted((code, key, delta) for (code, key), delta in deltas.items() if delta)
    if not rows:
        return
    quoted = connection.ops.quote_name(table)
    placeholders = ", ".join(["(%s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {quoted} (region_code, {key_column}, value) VALUES {placeholders} "
        f"ON CONFLICT (region_code, {key_column}) DO UPDATE SET value = {quoted}.value + "
        "excluded.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [part for row in rows for part in row])


def along_lineage(code: str, changes: Mapping[object, int], into: dict | None = None) -> dict:
    """``changes`` (key → number) of a record of ``code``, spread over its lineage."""
    into = {} if into is None else into
    for node in codes.lineage(code):
        for key, delta in changes.items():
            into[(node, key)] = into.get((node, key), 0) + delta
    return into


def lock(*tables: str) -> None:
    """Block the counters' writers until the end of the transaction while a recount replaces
    rows (PostgreSQL; SQLite has one writer at a time anyway). A service that wrote its record
    but not yet its deltas waits here and adds them after the recount, which cannot see its
    record: nothing is counted twice or lost."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN EXCLUSIVE MODE")
