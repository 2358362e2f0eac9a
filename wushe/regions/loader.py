"""Loading the national division tree from the shipped CSV files (``data/``).

The load reads the rows wanted (the whole country, a province or a county with its ancestors),
compares them with what the table holds, and writes only the difference in one transaction:
new rows by COPY on PostgreSQL (``executemany`` on SQLite), changed names by a bulk UPDATE. A
second run therefore writes nothing, and a failed run leaves the previous tree as it was. The
ORM's per-object saves are ~50× slower here and are not used.
"""

from __future__ import annotations

import csv
import lzma
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from wushe.regions.codes import CODE_LENGTH, PREFIX_LENGTH, ROOT_CODE, Level, ancestor_codes

DATA_DIR = Path(__file__).resolve().parent / "data"
ROOT_NAME = "全国"
TABLE = "regions_region"

# (file, level, column holding the parent's short code)
_FILES = [
    ("provinces.csv.xz", Level.PROVINCE, None),
    ("cities.csv.xz", Level.CITY, "provinceCode"),
    ("areas.csv.xz", Level.COUNTY, "cityCode"),
    ("streets.csv.xz", Level.TOWNSHIP, "areaCode"),
    ("villages.csv.xz", Level.VILLAGE, "streetCode"),
]

Row = tuple[str, str, int, str | None]  # code, name, level, parent code
Node = tuple[str, str, int, str | None, int, int]  # … and townships, villages under it


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _pad(short: str) -> str:
    return short.ljust(CODE_LENGTH, "0")


def read_rows(select: str = "", data_dir: Path = DATA_DIR) -> Iterator[Row]:
    """Rows of the tree whose code starts with ``select`` (all if empty), with their ancestors.

    A row whose padded code repeats one already read is the same node and is skipped: the
    county row of a city without counties (东莞 441900 = 4419), and the placeholder township and
    village of 金门县 (350527000, 350527000000). Their children hang from the node read first.
    """
    if select:
        wanted = set(ancestor_codes(_pad(select), _level_of_prefix(select)))
    else:
        wanted = set()
    yield (ROOT_CODE, ROOT_NAME, Level.COUNTRY, None)
    seen: set[str] = {ROOT_CODE}
    for filename, level, parent_column in _FILES:
        with lzma.open(data_dir / filename, "rt", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            code_at, name_at = header.index("code"), header.index("name")
            parent_at = header.index(parent_column) if parent_column else None
            for record in reader:
                short = record[code_at]
                if select and not short.startswith(select):
                    if _pad(short) not in wanted:
                        continue
                code = short.ljust(CODE_LENGTH, "0")
                if code in seen:
                    continue
                seen.add(code)
                parent = _pad(record[parent_at]) if parent_at is not None else ROOT_CODE
                yield (code, record[name_at].strip(), int(level), parent)


def _level_of_prefix(select: str) -> int:
    return {2: Level.PROVINCE, 4: Level.CITY, 6: Level.COUNTY, 9: Level.TOWNSHIP}.get(
        len(select), Level.VILLAGE
    )


def check_selection(select: str) -> None:
    """Refuse a selection that is not a code or that the shipped data does not have."""
    if select and (not select.isdigit() or len(select) not in (2, 4, 6)):
        raise ValidationError(
            _("“%(code)s” is not a province (2 digits), city (4) or county (6) code.")
            % {"code": select}
        )


def load(rows: Iterator[Row], *, progress: Callable[[int], None] | None = None) -> LoadResult:
    """Make the table hold ``rows``: insert new codes, update changed names or parents, and
    keep every node's township and village counts (the coverage denominators) right."""
    rows = list(rows)
    codes = {row[0] for row in rows}
    for code, _name, _level, parent in rows:
        if parent is not None and parent not in codes:
            raise ValidationError(
                _("Region %(code)s refers to parent %(parent)s, which is not in the data.")
                % {"code": code, "parent": parent}
            )
    result = LoadResult()
    with transaction.atomic():
        existing = _existing()
        levels = {code: values[1] for code, values in existing.items()}
        levels.update((row[0], row[2]) for row in rows)
        counts = subtree_counts(levels)
        new_rows: list[Node] = []
        changed_rows: list[Node] = []
        for index, (code, name, level, parent) in enumerate(rows, 1):
            node = (code, name, level, parent, *counts.get(code, (0, 0)))
            current = existing.pop(code, None)
            if current is None:
                new_rows.append(node)
            elif current != node[1:]:
                changed_rows.append(node)
            else:
                result.unchanged += 1
            if progress and index % 20_000 == 0:
                progress(20_000)
        result.created = len(new_rows)
        result.updated = len(changed_rows)
        # Nodes outside this load whose counts moved (the ancestors of a newly loaded county).
        changed_rows.extend(
            (code, *current[:3], *counts[code])
            for code, current in existing.items()
            if code in counts and current[3:] != counts[code]
        )
        if connection.vendor == "postgresql":
            _write_postgresql(new_rows, changed_rows)
        else:
            _write_generic(new_rows, changed_rows)
    if progress:
        progress(len(rows) % 20_000)
    return result


def subtree_counts(levels: dict[str, int]) -> dict[str, tuple[int, int]]:
    """{code: (townships, villages) in its subtree, itself included} for every node.

    Villages are counted per township prefix, townships per county prefix, then both are
    rolled up by prefix, so the work is one pass over the codes plus one over the townships.
    """
    villages_by_head: Counter[str] = Counter()
    townships_by_head: Counter[str] = Counter()
    for code, level in levels.items():
        if level == Level.VILLAGE:
            villages_by_head[code[:9]] += 1
        elif level == Level.TOWNSHIP:
            townships_by_head[code[:9]] += 1
    towns: Counter[str] = Counter()
    villages: Counter[str] = Counter()
    for head9 in townships_by_head.keys() | villages_by_head.keys():
        for length in (0, 2, 4, 6, 9):
            towns[head9[:length]] += townships_by_head[head9]
            villages[head9[:length]] += villages_by_head[head9]
    result = {}
    for code, level in levels.items():
        if level == Level.VILLAGE:
            result[code] = (0, 1)  # a subtree holds its own root: a village counts itself
        else:
            head = code[: PREFIX_LENGTH[Level(level)]]
            result[code] = (towns[head], villages[head])
    return result


def _existing() -> dict[str, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT code, name, level, parent_id, township_count, village_count FROM {TABLE}"
        )
        return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}


COLUMNS = "code, name, level, parent_id, township_count, village_count"


def _write_postgresql(new_rows: list[Node], changed_rows: list[Node]) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        if new_rows:
            with raw.copy(f"COPY {TABLE} ({COLUMNS}) FROM STDIN") as copy:
                copy.write(_copy_text(new_rows))
        if changed_rows:
            cursor.execute("DROP TABLE IF EXISTS pg_temp.region_changes")
            cursor.execute(
                f"CREATE TEMP TABLE region_changes ON COMMIT DROP AS "
                f"SELECT {COLUMNS} FROM {TABLE} WITH NO DATA"
            )
            with raw.copy(f"COPY region_changes ({COLUMNS}) FROM STDIN") as copy:
                copy.write(_copy_text(changed_rows))
            cursor.execute(
                f"UPDATE {TABLE} r SET name = c.name, level = c.level, parent_id = c.parent_id, "
                "township_count = c.township_count, village_count = c.village_count "
                "FROM region_changes c WHERE r.code = c.code"
            )


def _copy_text(rows: list[Node]) -> str:
    """COPY's text format. Names are checked for the characters it would need escaped."""
    lines = []
    for code, name, level, parent, townships, villages in rows:
        if "\t" in name or "\n" in name or "\r" in name or "\\" in name:
            raise ValidationError(
                _("Region %(code)s has a control character in its name.") % {"code": code}
            )
        lines.append(f"{code}\t{name}\t{level}\t{parent or NULL}\t{townships}\t{villages}\n")
    return "".join(lines)


NULL = "\\N"


def _write_generic(new_rows: list[Node], changed_rows: list[Node]) -> None:
    with connection.cursor() as cursor:
        if new_rows:
            cursor.executemany(
                f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)", new_rows
            )
        if changed_rows:
            cursor.executemany(
                f"UPDATE {TABLE} SET name = %s, level = %s, parent_id = %s, township_count = %s, "
                "village_count = %s WHERE code = %s",
                [(*node[1:], node[0]) for node in changed_rows],
            )
