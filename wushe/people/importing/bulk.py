"""A large first load into PostgreSQL, written while it is checked.

When a CSV read in blocks (``blocks``) brings at least ``writing.BULK_ROWS`` rows, twice as
many as people_resident holds files (:func:`wanted`), the import takes the table for itself
(ACCESS EXCLUSIVE, as dropping its indexes needs anyway) before checking, and COPYs each
chunk's new files as soon as the parent has planned them: PostgreSQL's backend stores one
chunk while the children check the next, instead of the whole COPY waiting for the whole
check. Nothing is committed until every row was checked: a sheet that turns out to have a bad
row (or an ``import_conflict``) is rolled back whole, as if nothing had been written, so the
import stays all or nothing.

Files already there are found in a snapshot of (id_hash, id) taken under the lock (a temporary
table, empty and skipped when the table was), since the id_hash index is dropped with the
others: the check still sees the files as they were before the import, as ``planning``
expects. The categories then keep their indexes (their lookups and the updates need them)
until the files' categories are COPYed, after the check; into an empty table, they are COPYed
with their files. The rebuild is ``indexes``'s.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from wushe.people.importing import indexes, writing
from wushe.people.importing.existing import Update
from wushe.people.importing.planning import NewFiles
from wushe.people.importing.writing import CATEGORIES, RESIDENTS

KNOWN = "import_known_files"  # the snapshot's temporary table


def wanted(rows: int) -> bool:
    """Whether a sheet of about ``rows`` rows is loaded in bulk: at least ``BULK_ROWS`` of them,
    into a table that holds at most half as many files. Before the check nobody knows how many
    rows are new files: a sheet imported again (every row a file already there) must not lock
    the table and rebuild its indexes for nothing, so the table must be clearly the smaller."""
    if connection.vendor != "postgresql" or rows < writing.BULK_ROWS:
        return False
    with connection.cursor() as cursor:  # files * 2 <= rows
        return writing.holds_fewer_files_than(cursor, rows // 2 + 1)


class BulkLoad:
    """Call in one transaction: ``begin``, ``add`` each chunk of new files, then ``finish``."""

    def __init__(self, station_id: int | None, now: datetime, progress) -> None:
        self.writer = writing.PostgreSQLWriter(station_id, now, progress)
        self.progress = progress
        self.files_before = False  # whether people_resident held any file
        self.first = self.next = 0  # the ids: first, and the next to give
        self.categories: list[str] = []  # COPY lines, written after the check
        self.categories_later = True
        self.dropped = indexes.Dropped()

    def begin(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {RESIDENTS} IN ACCESS EXCLUSIVE MODE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {RESIDENTS})")
            self.files_before = cursor.fetchone()[0]
            if self.files_before:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {KNOWN} ON COMMIT DROP AS "
                    f"SELECT id_hash, id FROM {RESIDENTS}"
                )
                cursor.execute(f"CREATE INDEX ON {KNOWN} (id_hash)")
                cursor.execute(f"ANALYZE {KNOWN}")
            # Into an empty table the categories go as their files do: no lookup needs their
            # indexes (there is no file to find).
            self.categories_later = self.files_before
            tables = (RESIDENTS,) if self.categories_later else (RESIDENTS, CATEGORIES)
            self.dropped += indexes.drop(cursor, tables)
            self.writer.stamp_by_default(cursor)
            # Ids drawn as the files come, under the lock: every other writer of the table
            # takes a lock on it before drawing from its sequence. Set past them in finish.
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [RESIDENTS])
            self.first = self.next = cursor.fetchone()[0]

    @property
    def known(self) -> str | None:
        """The table to find the files already there in; None when there were none."""
        return KNOWN if self.files_before else None

    def add(self, chunk: NewFiles) -> None:
        count = len(chunk[0])
        ids = range(self.next, self.next + count)
        self.next += count
        with connection.cursor() as cursor:
            with cursor.cursor.copy(self.writer.copy_sql()) as copy:
                categories = self.writer.copy_chunk(copy, ids, chunk)
            if self.categories_later:
                self.categories += categories
            else:
                writing.copy_categories(cursor, categories)

    def finish(self, updates: list[Update]) -> list[int]:
        """Write the updates and the categories, rebuild the indexes; the new files' ids."""
        with connection.cursor() as cursor:
            if self.next > self.first:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [RESIDENTS, self.next - 1],
                )
            self.writer.stamp_each(cursor)
            if updates:
                self.writer.update(cursor, updates)  # with the categories' indexes
            if self.categories_later:
                self.dropped += indexes.drop(cursor, (CATEGORIES,))
                writing.copy_categories(cursor, self.categories)
            if self.progress:
                self.progress("index", 0)
            indexes.rebuild(cursor, self.dropped)
            cursor.execute(f"ANALYZE {RESIDENTS}")
            cursor.execute(f"ANALYZE {CATEGORIES}")
        return list(range(self.first, self.next))
