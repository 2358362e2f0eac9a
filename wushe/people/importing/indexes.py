"""Dropping a table's indexes and constraints for a bulk load, and rebuilding them after.

PostgreSQL's "Populating a Database" advice: maintaining a dozen indexes row by row, several on
random keyed hashes, is what made a COPY of a million files take 30 s rather than 14 s. The
rebuild restores exactly the definitions read from the catalogue (whichever app added them) and
re-checks the uniqueness and the foreign keys; the drop locks the table (ACCESS EXCLUSIVE) until
the commit. Primary keys and check constraints stay.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection


@dataclass
class Dropped:
    """What was dropped, to be rebuilt: (table, name, definition) of the unique and foreign-key
    constraints, uniques first, and (name, definition) of the other indexes."""

    constraints: list[tuple[str, str, str]] = field(default_factory=list)
    indexes: list[tuple[str, str]] = field(default_factory=list)

    def __iadd__(self, other: Dropped) -> Dropped:
        self.constraints += other.constraints
        self.indexes += other.indexes
        return self


def drop(cursor, tables: Sequence[str]) -> Dropped:
    """Drop the tables' indexes and constraints other than primary keys and checks."""
    quote = connection.ops.quote_name
    # A table with deferred foreign-key checks still to run cannot be altered: run them now
    # (rows written earlier in the same transaction, by a caller or a test; they would run
    # at the commit anyway).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    dropped = Dropped()
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
            [table],
        )
        dropped.constraints += [(table, name, sql) for name, sql in cursor.fetchall()]
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
            "AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        )
        dropped.indexes += cursor.fetchall()
    for table, name, _definition in dropped.constraints:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _definition in dropped.indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    return dropped


def rebuild(cursor, dropped: Dropped) -> None:
    """Recreate what ``drop`` dropped, as the catalogue defined it: indexes, then unique
    constraints, then foreign keys (whose referenced keys then exist)."""
    quote = connection.ops.quote_name
    for _name, definition in dropped.indexes:
        cursor.execute(definition)
    uniques_first = sorted(dropped.constraints, key=lambda c: not c[2].startswith("UNIQUE"))
    for table, name, definition in uniques_first:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


@contextmanager
def rebuilt(cursor, tables: Sequence[str]) -> Iterator[None]:
    """The tables without their indexes and constraints inside the block, with them after."""
    dropped = drop(cursor, tables)
    yield
    rebuild(cursor, dropped)
