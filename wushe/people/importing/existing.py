"""Files already there: found by keyed hash in bulk, then merged with the row (or refused).

One query per chunk of rows finds the files whose ``id_hash`` the chunk holds, wherever they
are. A file outside the actor's subtree refuses the row (``filed_elsewhere``) without telling
anything of it; a file inside is updated from the row. Personal columns are read as their
tokens: a phone is compared by its keyed hash, and only a guardian phone written in the row is
decrypted to compare.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection

from wushe.core.crypto import decrypt
from wushe.core.tabular import ErrorReport
from wushe.people.choices import Category
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.models import Resident, ResidentCategory

_DISABLED = c.CATEGORY_BITS[Category.DISABLED]
_BATCH = 500  # hashes per query on SQLite (its parameter limit); PostgreSQL takes an array
_COLUMNS = (
    "id_hash",
    "id",
    "region_code",
    "name",
    "name_pinyin",
    "name_initials",
    "phone",
    "phone_hash",
    "address",
    "notes",
    "disability_grade",
    "guardian_name",
    "guardian_phone",
    "risk_level",
    "updated_at",
)


@dataclass(slots=True)
class Candidate:
    """A good row whose person is filed already, read back from its checked form to merge: the
    personal values as keyed hashes and tokens, plus the canonical guardian phone (compared with
    the file's). A blank cell stays blank ("", None): it keeps what the file holds."""

    row: int
    name: str
    pinyin: str
    initials: str
    phone_hash: str  # "" when the cell is blank
    phone_token: str
    village: str  # the 12-digit code
    address: str
    categories: int | None  # bit mask; None when the cell is blank
    grade: int | None
    risk: str  # RiskLevel value, "" when blank
    guardian_name: str
    guardian_phone: str  # canonical, "" when blank
    guardian_token: str
    notes: str
    ok: bool = True


@dataclass(slots=True)
class Existing:
    """A file already there, as stored (``phone`` and ``guardian_phone`` are tokens)."""

    id_hash: str
    id: int
    region_code: str
    name: str
    name_pinyin: str
    name_initials: str
    phone: str
    phone_hash: str
    address: str
    notes: str
    disability_grade: int | None
    guardian_name: str
    guardian_phone: str
    risk_level: str
    updated_at: object  # as the driver gives it back, to compare it unchanged when writing
    categories: int = 0


# An update as written: (id, name, pinyin, initials, phone token, phone hash, village, address,
# notes, disability grade, guardian name, guardian phone token, risk level, categories mask,
# whether the categories rows must be rewritten, the file's updated_at when it was read).
Update = tuple


def find_existing(
    hashes: Sequence[str], can_see: Callable[[str], bool], *, known: str | None = None
) -> dict[str, Existing]:
    """The files with these ID hashes; those the actor can see come with their categories.
    ``known``: a table of (id_hash, id) to look the hashes up in (a bulk load's snapshot)."""
    found: dict[str, Existing] = {}
    table = Resident._meta.db_table
    select = f"SELECT {', '.join(_COLUMNS)} FROM {table} WHERE id_hash"
    if known:
        columns = ", ".join(f"r.{column}" for column in _COLUMNS)
        select = f"SELECT {columns} FROM {known} k JOIN {table} r ON r.id = k.id WHERE k.id_hash"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One text parameter split by the server: the driver's adaptation of a 5,000-item
            # list costs more than the query. Hashes are hex, so a comma cannot occur in one.
            cursor.execute(f"{select} = ANY(string_to_array(%s, ','))", [",".join(hashes)])
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(hashes), _BATCH):
                batch = hashes[start : start + _BATCH]
                cursor.execute(f"{select} IN ({', '.join(['%s'] * len(batch))})", batch)
                rows.extend(cursor.fetchall())
    visible: dict[int, Existing] = {}
    for row in rows:
        existing = Existing(*row)
        found[existing.id_hash] = existing
        if can_see(existing.region_code):
            visible[existing.id] = existing
    _add_categories(visible)
    return found


def _add_categories(residents: dict[int, Existing]) -> None:
    ids = list(residents)
    select = f"SELECT resident_id, category FROM {ResidentCategory._meta.db_table} WHERE"
    rows = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{select} resident_id = ANY(%s)", [ids])
            rows = cursor.fetchall()
        else:
            for start in range(0, len(ids), _BATCH):
                batch = ids[start : start + _BATCH]
                cursor.execute(f"{select} resident_id IN ({', '.join(['%s'] * len(batch))})", batch)
                rows.extend(cursor.fetchall())
    bits = c.CATEGORY_BITS
    for resident_id, category in rows:
        residents[resident_id].categories |= bits.get(category, 0)


def check_disability(report: ErrorReport, candidate: Candidate, categories: int, grade) -> bool:
    """The rule of ``services._normalise``: a grade exactly when 残疾人 is a category."""
    if categories & _DISABLED and grade is None:
        report.append(p.DISABILITY_GRADE_MISSING.at(candidate.row, c.DISABILITY_GRADE))
        return False
    if not categories & _DISABLED and grade is not None:
        report.append(p.DISABILITY_GRADE_UNEXPECTED.at(candidate.row, c.DISABILITY_GRADE))
        return False
    return True


class Merger:
    """Merges a row into the file it updates: what the row writes wins, a blank cell keeps."""

    def __init__(self, report: ErrorReport) -> None:
        self.report = report

    def merge(self, candidate: Candidate, existing: Existing) -> Update | None:
        """The update, or None when the row changes nothing (or is refused: ``ok`` says)."""
        categories = existing.categories if candidate.categories is None else candidate.categories
        grade = existing.disability_grade if candidate.grade is None else candidate.grade
        if not categories & _DISABLED and candidate.grade is None:
            grade = None  # 残疾人 removed: the grade goes with it
        if not check_disability(self.report, candidate, categories, grade):
            candidate.ok = False
            return None
        pinyin, initials = existing.name_pinyin, existing.name_initials
        if candidate.name != existing.name:
            pinyin, initials = candidate.pinyin, candidate.initials
        phone, phone_hash = existing.phone, existing.phone_hash
        if candidate.phone_hash and candidate.phone_hash != existing.phone_hash:
            phone, phone_hash = candidate.phone_token, candidate.phone_hash
        guardian_phone = existing.guardian_phone
        if candidate.guardian_phone and candidate.guardian_phone != _plain(guardian_phone):
            guardian_phone = candidate.guardian_token
        update = (
            existing.id,
            candidate.name,
            pinyin,
            initials,
            phone,
            phone_hash,
            candidate.village,
            candidate.address or existing.address,
            candidate.notes or existing.notes,
            grade,
            candidate.guardian_name or existing.guardian_name,
            guardian_phone,
            candidate.risk or existing.risk_level,
            categories,
            categories != existing.categories or candidate.village != existing.region_code,
            existing.updated_at,
        )
        before = (
            existing.id,
            existing.name,
            existing.name_pinyin,
            existing.name_initials,
            existing.phone,
            existing.phone_hash,
            existing.region_code,
            existing.address,
            existing.notes,
            existing.disability_grade,
            existing.guardian_name,
            existing.guardian_phone,
            existing.risk_level,
            existing.categories,
            False,
        )
        return None if update[:15] == before else update


def _plain(token: str) -> str:
    return decrypt(token) if token else ""
