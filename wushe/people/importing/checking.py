"""Checking one row of the sheet by itself: the rules of ``services.resident_file`` that need no
database. The ID number and phones arrive parsed (``derive``); what needs the database (the
village, a file already there) is checked per chunk (``villages``, ``existing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wushe.core.tabular import ErrorReport, Row
from wushe.people.choices import ELDERLY_AGE
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.importing.derive import Cells, Derived

_NUL = "\x00"
# (column, longest allowed): the model's max_length; notes are unlimited.
_TEXT_LIMITS = (*c.MAX_LENGTHS.items(), (c.NOTES, float("inf")))
_NAME_LIMIT, _ADDRESS_LIMIT, _GUARDIAN_LIMIT = (
    c.MAX_LENGTHS[c.NAME],
    c.MAX_LENGTHS[c.ADDRESS],
    c.MAX_LENGTHS[c.GUARDIAN],
)


@dataclass(slots=True)
class Candidate:
    """A row whose ID number is good, with its values read and normalised, personal ones as
    keyed hashes and tokens (the canonical phones stay, to compare with a file's).

    Blank cells stay blank ("" or None) rather than defaulted: for a file already there, a
    blank cell keeps what the file holds (see the package docstring). ``ok`` turns False when
    any check of the row fails, here or later.
    """

    row: int
    name: str
    pinyin: str
    initials: str
    gender: str
    id_token: str
    id_hash: str
    birth_date: str  # ISO 8601, as COPY takes it
    phone: str  # canonical, "" when blank
    phone_hash: str
    phone_token: str
    village: str  # as written; the village check turns it into a 12-digit code
    address: str
    categories: int | None  # bit mask; None when the cell is blank
    grade: int | None
    risk: str  # RiskLevel value, "" when blank
    guardian_name: str
    guardian_phone: str  # canonical, "" when blank
    guardian_token: str
    notes: str
    ok: bool = True


def cells_of(row: Row) -> Cells:
    """What ``derive`` needs of a row; no ID number when the reader refused its cell."""
    values = row.values
    refused = row.errors and any(error.column == c.ID_NUMBER for error in row.errors)  # not_text
    return (
        None if refused else values[c.ID_NUMBER],
        values[c.PHONE],
        values[c.GUARDIAN_PHONE],
        values[c.NAME],
    )


class RowChecker:
    """Checks rows in file order, adding each problem to ``report``."""

    def __init__(self, report: ErrorReport, *, today: date) -> None:
        self.report = report
        self.today = today
        self.first_row: dict[str, int] = {}  # id_hash -> the row it first appeared on
        self.added = 0  # errors this checker has reported
        self._category_spellings: dict[str, tuple[int, bool, list[str]]] = {}

    def check(self, row: Row, derived: Derived) -> Candidate | None:
        """The row's candidate (``ok`` False if a check failed), or None when its ID number is
        unusable: then nothing else about the row can be decided."""
        (
            id_code,
            id_token,
            id_hash,
            born,
            gender,
            phone_code,
            phone,
            phone_hash,
            phone_token,
            guardian_code,
            guardian_phone,
            guardian_token,
            pinyin,
            initials,
        ) = derived
        values, number, errors = row.values, row.number, self.added
        name, address, guardian, notes = (
            values[c.NAME],
            values[c.ADDRESS],
            values[c.GUARDIAN],
            values[c.NOTES],
        )
        if not name:
            self._add(p.NAME_MISSING.at(number, c.NAME))
        if (
            len(name) > _NAME_LIMIT
            or len(address) > _ADDRESS_LIMIT
            or len(guardian) > _GUARDIAN_LIMIT
            or _NUL in name
            or _NUL in address
            or _NUL in guardian
            or _NUL in notes
        ):
            for column, limit in _TEXT_LIMITS:
                text = values[column]
                if _NUL in text or len(text) > limit:
                    self._check_text(number, column, text, limit)
        written_gender = c.gender_of(values[c.GENDER])
        if written_gender is None:
            self._add(p.GENDER_UNKNOWN.at(number, c.GENDER))
        if phone_code:
            self._add(p.identifier_problem(phone_code).at(number, c.PHONE))
        if guardian_code:
            self._add(p.identifier_problem(guardian_code).at(number, c.GUARDIAN_PHONE))
        spelling = values[c.CATEGORIES]
        read = self._category_spellings.get(spelling)
        mask, elderly, unknown = read if read is not None else self._categories(spelling)
        if unknown:
            names = "、".join(unknown)
            known = c.KNOWN_CATEGORIES
            self._add(p.CATEGORY_UNKNOWN.at(number, c.CATEGORIES, names=names, known=known))
        grade = None
        if values[c.DISABILITY_GRADE]:
            grade = c.grade_of(values[c.DISABILITY_GRADE])
            if grade is None:
                self._add(p.DISABILITY_GRADE_INVALID.at(number, c.DISABILITY_GRADE))
        risk = ""
        if values[c.RISK_LEVEL]:
            risk = c.risk_of(values[c.RISK_LEVEL]) or ""
            if not risk:
                self._add(p.RISK_UNKNOWN.at(number, c.RISK_LEVEL))
        village = values[c.VILLAGE]
        if not village:
            self._add(p.VILLAGE_MISSING.at(number, c.VILLAGE))
        if id_code:
            self._add(p.identifier_problem(id_code).at(number, c.ID_NUMBER))
        if not id_hash:
            return None  # refused by the reader (not_text) or by the ID rules
        first = self.first_row.setdefault(id_hash, number)
        if first != number:
            self._add(p.ID_DUPLICATE_IN_FILE.at(number, c.ID_NUMBER, first=first))
        if written_gender and written_gender != gender:
            zh, en = c.GENDER_WORDS[gender]
            self._add(p.GENDER_MISMATCH.at(number, c.GENDER, expected_zh=zh, expected_en=en))
        if elderly and _age_on(born, self.today) < ELDERLY_AGE:
            self._add(p.ELDERLY_AGE.at(number, c.CATEGORIES))
        return Candidate(  # positional: a quarter of the keyword call's time, per row
            number,
            name,
            pinyin,
            initials,
            gender,
            id_token,
            id_hash,
            born,
            phone,
            phone_hash,
            phone_token,
            village,
            address,
            mask if (mask or elderly) else None,
            grade,
            risk,
            guardian,
            guardian_phone,
            guardian_token,
            notes,
            not row.errors and self.added == errors,
        )

    def _categories(self, text: str) -> tuple[int, bool, list[str]]:
        # A sheet spells its categories a few dozen ways: read each spelling once.
        read = self._category_spellings.get(text)
        if read is None:
            read = c.categories_of(text)
            if len(self._category_spellings) < 10_000:
                self._category_spellings[text] = read
        return read

    def _check_text(self, number: int, column: str, text: str, limit: float) -> None:
        if _NUL in text:
            self._add(p.BAD_CHARACTER.at(number, column, column=column))
        elif len(text) > limit:
            self._add(p.TOO_LONG.at(number, column, column=column, limit=limit, length=len(text)))

    def _add(self, error) -> None:
        self.report.append(error)
        self.added += 1


def _age_on(born: str, day: date) -> int:
    """IdNumber.age_on (of an ISO 8601 birth date): completed years on ``day``."""
    year, month, days = int(born[:4]), int(born[5:7]), int(born[8:10])
    return day.year - year - ((day.month, day.day) < (month, days))
