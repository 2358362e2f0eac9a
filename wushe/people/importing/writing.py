"""Writing the checked rows: COPY on PostgreSQL, ``executemany`` elsewhere, in the caller's
transaction.

New files are COPYed into people_resident with ids taken from its sequence beforehand, so their
categories can be COPYed straight after. Updates go through a temporary table and one UPDATE …
FROM. A load that at least doubles the table (and brings ≥ ``BULK_ROWS`` files) drops the
secondary indexes and constraints of both tables first and rebuilds them at the end
(``indexes``). It costs about 4 s per million files, so the tables carry only the indexes a
query needs (see ``models``). A large CSV read in blocks is written while it is checked
(``bulk``); this module writes what the other sheets planned, after the check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.db import IntegrityError, connection

from wushe.people.importing import indexes
from wushe.people.importing.checking import read_fragment
from wushe.people.importing.columns import categories_in
from wushe.people.importing.existing import Update
from wushe.people.importing.planning import NewFiles
from wushe.people.models import Resident, ResidentCategory

BULK_ROWS = 100_000
RESIDENTS = Resident._meta.db_table
CATEGORIES = ResidentCategory._meta.db_table
# A new file's columns: its village, those every file of an import shares (relation, guardian
# relation and health notes blank, the station, no household, the two stamps), then its own
# cells as ``checking`` wrote them (a fragment).
FILE_COLUMNS = (
    "name, name_pinyin, name_initials, gender, id_number, id_hash, birth_date, phone, "
    "phone_hash, address, disability_grade, guardian_name, guardian_phone, risk_level, notes"
)
NEW_COLUMNS = (
    "region_code, relation, guardian_relation, health_notes, station_id, household_id, "
    f"created_at, updated_at, {FILE_COLUMNS}"
)
UPDATE_COLUMNS = (
    "id",
    "name",
    "name_pinyin",
    "name_initials",
    "phone",
    "phone_hash",
    "region_code",
    "address",
    "notes",
    "disability_grade",
    "guardian_name",
    "guardian_phone",
    "risk_level",
)
_NULL = "\\N"
_STAMPS = "created_at, updated_at, "
_CATEGORIES_OF: dict[int, list[str]] = {}  # categories mask -> the category values
# progress(stage, rows): "write" with the rows just written, "index" (0) when the rebuild starts.
Progress = Callable[[str, int], None]


def write(
    new_files: Iterable[NewFiles],
    new_count: int,
    updates: list[Update],
    *,
    station_id: int | None,
    now: datetime,
    progress: Progress | None = None,
) -> list[int]:
    """Write new files (chunks of them, as ``planning`` spooled them) and updates; returns the
    new files' ids in order."""
    if connection.vendor == "postgresql":
        return PostgreSQLWriter(station_id, now, progress).write(new_files, new_count, updates)
    return _Generic(station_id, now, progress).write(new_files, new_count, updates)


class PostgreSQLWriter:
    """COPY for new files, a temporary table and one UPDATE for updates (``bulk`` uses it too)."""

    def __init__(self, station_id: int | None, now: datetime, progress: Progress | None):
        station = _NULL if station_id is None else str(station_id)
        self.now = now.isoformat()
        self.progress = progress
        # The COPY's columns after the id, and each line's cells between the village and the
        # fragment (see NEW_COLUMNS).
        self.columns = NEW_COLUMNS
        self.shared = f"\t\t\t\t{station}\t{_NULL}\t{self.now}\t{self.now}\t"

    def write(self, chunks, count: int, updates: list[Update]) -> list[int]:
        ids: list[int] = []
        with connection.cursor() as cursor:
            # Bulk when the new files would at least double the table.
            if count >= BULK_ROWS and holds_fewer_files_than(cursor, count):
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                with indexes.rebuilt(cursor, (RESIDENTS, CATEGORIES)):
                    ids = self._reserve_ids(cursor, count)
                    self.stamp_by_default(cursor)
                    self._copy_new(cursor, chunks, ids)
                    self.stamp_each(cursor)
                    if self.progress:
                        self.progress("index", 0)
                cursor.execute(f"ANALYZE {RESIDENTS}")
                cursor.execute(f"ANALYZE {CATEGORIES}")
            elif count:
                ids = self._next_ids(cursor, count)
                self._copy_new(cursor, chunks, ids)
            if updates:
                self.update(cursor, updates)
        return ids

    def _next_ids(self, cursor, count: int) -> list[int]:
        # The lock an INSERT takes anyway: it waits for a bulk load's reservation below.
        cursor.execute(f"LOCK TABLE {RESIDENTS} IN ROW EXCLUSIVE MODE")
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [RESIDENTS, count],
        )
        return [row[0] for row in cursor.fetchall()]

    def _reserve_ids(self, cursor, count: int) -> list[int]:
        """A block of ``count`` ids in two statements (a million nextval() take 2 s). Safe only
        under the ACCESS EXCLUSIVE lock the index drop took: every other writer of the table,
        ``_next_ids`` included, takes a lock on it before drawing from the sequence."""
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [RESIDENTS])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        return list(range(first, first + count))

    def stamp_by_default(self, cursor) -> None:
        """created_at and updated_at filled by the columns' defaults, set to this import's time
        for the COPY and dropped after it: PostgreSQL then parses no timestamp per row (0.5 s
        of a million-row COPY). Safe only under the bulk load's ACCESS EXCLUSIVE lock, and
        undone with everything else if the transaction rolls back."""
        for column in ("created_at", "updated_at"):
            cursor.execute(
                f"ALTER TABLE {RESIDENTS} ALTER COLUMN {column} SET DEFAULT %s::timestamptz",
                [self.now],
            )
        self.columns = NEW_COLUMNS.replace(_STAMPS, "")
        self.shared = self.shared.removesuffix(f"{self.now}\t{self.now}\t")

    def stamp_each(self, cursor) -> None:
        """Back to stamping each line, the defaults dropped."""
        self.columns = NEW_COLUMNS
        self.shared += f"{self.now}\t{self.now}\t"
        for column in ("created_at", "updated_at"):
            cursor.execute(f"ALTER TABLE {RESIDENTS} ALTER COLUMN {column} DROP DEFAULT")

    def copy_sql(self) -> str:
        return f"COPY {RESIDENTS} (id, {self.columns}) FROM STDIN"

    def copy_chunk(self, copy, ids: Sequence[int], chunk: NewFiles) -> list[str]:
        """COPY a chunk of new files with these ids; returns their categories' COPY lines."""
        codes, fragments, masks = chunk
        shared = self.shared
        lines = zip(ids, codes, fragments, strict=True)
        copy.write("".join([f"{rid}\t{code}{shared}{text}\n" for rid, code, text in lines]))
        if self.progress:
            self.progress("write", len(codes))
        return [
            _category_lines(resident_id, mask, code)
            for resident_id, mask, code in zip(ids, masks, codes, strict=True)
            if mask
        ]

    def _copy_new(self, cursor, chunks: Iterable[NewFiles], ids: list[int]) -> None:
        categories: list[str] = []
        at = 0
        with cursor.cursor.copy(self.copy_sql()) as copy:
            for chunk in chunks:
                count = len(chunk[0])
                categories += self.copy_chunk(copy, ids[at : at + count], chunk)
                at += count
        copy_categories(cursor, categories)

    def update(self, cursor, updates: list[Update]) -> None:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.import_resident_updates")
        columns = ", ".join(UPDATE_COLUMNS)
        cursor.execute(
            f"CREATE TEMP TABLE import_resident_updates ON COMMIT DROP AS SELECT {columns}, "
            f"updated_at AS seen_updated_at FROM {RESIDENTS} WITH NO DATA"
        )
        with cursor.cursor.copy(
            f"COPY import_resident_updates ({columns}, seen_updated_at) FROM STDIN"
        ) as copy:
            for update in updates:
                copy.write_row((*update[:13], update[15]))
        assignments = ", ".join(f"{name} = u.{name}" for name in UPDATE_COLUMNS[1:])
        cursor.execute(
            f"UPDATE {RESIDENTS} r SET {assignments}, updated_at = %s "
            "FROM import_resident_updates u "
            "WHERE r.id = u.id AND r.updated_at = u.seen_updated_at",
            [self.now],
        )
        _check_unchanged_meanwhile(cursor.rowcount, updates)
        moved = [update for update in updates if update[14]]
        if moved:
            cursor.execute(
                f"DELETE FROM {CATEGORIES} WHERE resident_id = ANY(%s)",
                [[update[0] for update in moved]],
            )
            copy_categories(cursor, [_category_lines(u[0], u[13], u[6]) for u in moved if u[13]])


def _check_unchanged_meanwhile(rowcount: int, updates: list[Update]) -> None:
    """Each update was merged from the file as it was read; a file changed since (through a
    page, say) would lose that change, so the whole import is refused instead."""
    if rowcount != len(updates):
        raise IntegrityError(f"{len(updates) - rowcount} files changed while being imported")


def _category_lines(resident_id: int, mask: int, village: str) -> str:
    values = _CATEGORIES_OF.get(mask)
    if values is None:
        values = _CATEGORIES_OF[mask] = categories_in(mask)  # at most 4,096 masks
    if len(values) == 1:
        return f"{resident_id}\t{values[0]}\t{village}\n"
    return "".join(f"{resident_id}\t{value}\t{village}\n" for value in values)


def holds_fewer_files_than(cursor, limit: int) -> bool:
    """Whether people_resident holds fewer than ``limit`` files (counted up to the limit only)."""
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {RESIDENTS} LIMIT %s) AS r", [limit])
    return cursor.fetchone()[0] < limit


def copy_categories(cursor, lines: list[str]) -> None:
    if not lines:
        return
    with cursor.cursor.copy(
        f"COPY {CATEGORIES} (resident_id, category, region_code) FROM STDIN"
    ) as copy:
        for start in range(0, len(lines), 10_000):
            copy.write("".join(lines[start : start + 10_000]))


class _Generic:
    """SQLite (and any other backend): plain INSERT/UPDATE through ``executemany``."""

    def __init__(self, station_id: int | None, now: datetime, progress: Progress | None):
        self.station_id = station_id
        self.now = connection.ops.adapt_datetimefield_value(now)
        self.progress = progress

    def write(self, chunks, count: int, updates: list[Update]) -> list[int]:
        ids: list[int] = []
        placeholders = ", ".join(["%s"] * 23)
        with connection.cursor() as cursor:
            for codes, fragments, masks in chunks:
                values = [
                    self._values(code, fragment)
                    for code, fragment in zip(codes, fragments, strict=True)
                ]
                cursor.executemany(
                    f"INSERT INTO {RESIDENTS} ({NEW_COLUMNS}) VALUES ({placeholders})", values
                )
                by_hash = self._ids_of(cursor, [value[13] for value in values])
                chunk_ids = [by_hash[value[13]] for value in values]
                self._categories(cursor, zip(chunk_ids, masks, codes, strict=True))
                ids.extend(chunk_ids)
                if self.progress:
                    self.progress("write", len(codes))
            if updates:
                self._update(cursor, updates)
        return ids

    def _values(self, code: str, fragment: str) -> tuple:
        # The village; relation, guardian relation and health notes (only with a recorded
        # consent, never by import) blank; the station, no household, the stamps; the cells.
        shared = ("", "", "", self.station_id, None, self.now, self.now)
        return (code, *shared, *read_fragment(fragment))

    def _ids_of(self, cursor, hashes: list[str]) -> dict[str, int]:
        found = {}
        for start in range(0, len(hashes), 500):
            batch = hashes[start : start + 500]
            cursor.execute(
                f"SELECT id_hash, id FROM {RESIDENTS} WHERE id_hash IN "
                f"({', '.join(['%s'] * len(batch))})",
                batch,
            )
            found.update(cursor.fetchall())
        return found

    def _categories(self, cursor, files) -> None:
        rows = [
            (resident_id, value, code)
            for resident_id, mask, code in files
            for value in categories_in(mask)
        ]
        if rows:
            cursor.executemany(
                f"INSERT INTO {CATEGORIES} (resident_id, category, region_code) "
                "VALUES (%s, %s, %s)",
                rows,
            )

    def _update(self, cursor, updates: list[Update]) -> None:
        assignments = ", ".join(f"{name} = %s" for name in UPDATE_COLUMNS[1:])
        cursor.executemany(
            f"UPDATE {RESIDENTS} SET {assignments}, updated_at = %s "
            "WHERE id = %s AND updated_at = %s",
            [(*update[1:13], self.now, update[0], update[15]) for update in updates],
        )
        _check_unchanged_meanwhile(cursor.rowcount, updates)
        moved = [update for update in updates if update[14]]
        cursor.executemany(
            f"DELETE FROM {CATEGORIES} WHERE resident_id = %s", [(u[0],) for u in moved]
        )
        rows = [(u[0], value, u[6]) for u in moved for value in categories_in(u[13])]
        if rows:
            cursor.executemany(
                f"INSERT INTO {CATEGORIES} (resident_id, category, region_code) "
                "VALUES (%s, %s, %s)",
                rows,
            )
