"""Checking one row of the sheet by itself: the rules of ``services.resident_file`` that need no
database. What needs it (the village, a file already there) is checked per chunk, see
``villages`` and ``existing``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from wushe.core.tabular import ErrorReport, Row
from wushe.people.choices import ELDERLY_AGE
from wushe.people.identity import IdNumberError, parse_id_number
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.phones import PhoneError, parse_phone

_NUL = "\x00"
# (column, longest allowed): the model's max_length; notes are unlimited.
_TEXT_LIMITS = (*c.MAX_LENGTHS.items(), (c.NOTES, float("inf")))


@dataclass(slots=True)
class Candidate:
    """A row whose ID number is good, with its values read and normalised.

    Blank cells stay blank ("" or None) rather than defaulted: for a file already there, a
    blank cell keeps what the file holds (see the package docstring). ``ok`` turns False when
    any check of the row fails, here or later.
    """

    row: int
    name: str
    gender: str
    id_number: str
    id_hash: str
    birth_date: date
    phone: str  # canonical, "" when blank
    phone_hash: str
    village: str  # as written; the village check turns it into a 12-digit code
    address: str
    categories: int | None  # bit mask; None when the cell is blank
    grade: int | None
    risk: str  # RiskLevel value, "" when blank
    guardian_name: str
    guardian_phone: str  # canonical, "" when blank
    notes: str
    ok: bool = True


class RowChecker:
    """Checks rows in file order, adding each problem to ``report``."""

    def __init__(
        self,
        report: ErrorReport,
        *,
        today: date,
        hash_id: Callable[[str], str],
        hash_phone: Callable[[str], str],
    ) -> None:
        self.report = report
        self.today = today
        self.hash_id = hash_id
        self.hash_phone = hash_phone
        self.first_row: dict[str, int] = {}  # id_hash -> the row it first appeared on
        self._category_spellings: dict[str, tuple[int, bool, list[str]]] = {}

    def check(self, row: Row) -> Candidate | None:
        """The row's candidate (``ok`` False if a check failed), or None when its ID number is
        unusable: then nothing else about the row can be decided."""
        values, number, errors = row.values, row.number, len(self.report)
        name = values[c.NAME]
        if not name:
            self._add(p.NAME_MISSING.at(number, c.NAME))
        for column, limit in _TEXT_LIMITS:
            text = values[column]
            if _NUL in text or len(text) > limit:
                self._check_text(number, column, text, limit)
        gender = c.gender_of(values[c.GENDER])
        if gender is None:
            self._add(p.GENDER_UNKNOWN.at(number, c.GENDER))
        phone = self._phone(number, c.PHONE, values[c.PHONE])
        guardian_phone = self._phone(number, c.GUARDIAN_PHONE, values[c.GUARDIAN_PHONE])
        mask, elderly, unknown = self._categories(values[c.CATEGORIES])
        if unknown:
            names = "、".join(unknown)
            self._add(
                p.CATEGORY_UNKNOWN.at(number, c.CATEGORIES, names=names, known=c.KNOWN_CATEGORIES)
            )
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
        identity = self._identity(row)
        if identity is None:
            return None
        id_hash = self.hash_id(identity.number)
        first = self.first_row.setdefault(id_hash, number)
        if first != number:
            self._add(p.ID_DUPLICATE_IN_FILE.at(number, c.ID_NUMBER, first=first))
        if gender and gender != identity.gender:
            zh, en = c.GENDER_WORDS[identity.gender]
            self._add(p.GENDER_MISMATCH.at(number, c.GENDER, expected_zh=zh, expected_en=en))
        if elderly and identity.age_on(self.today) < ELDERLY_AGE:
            self._add(p.ELDERLY_AGE.at(number, c.CATEGORIES))
        return Candidate(
            row=number,
            name=name,
            gender=identity.gender,
            id_number=identity.number,
            id_hash=id_hash,
            birth_date=identity.birth_date,
            phone=phone,
            phone_hash=self.hash_phone(phone) if phone else "",
            village=village,
            address=values[c.ADDRESS],
            categories=mask if (mask or elderly) else None,
            grade=grade,
            risk=risk,
            guardian_name=values[c.GUARDIAN],
            guardian_phone=guardian_phone,
            notes=values[c.NOTES],
            ok=not row.errors and len(self.report) == errors,
        )

    def _identity(self, row: Row):
        if any(error.column == c.ID_NUMBER for error in row.errors):
            return None  # not_text: Excel turned it into a number; the reader said so
        try:
            return parse_id_number(row.values[c.ID_NUMBER], today=self.today)
        except IdNumberError as error:
            self._add(p.identifier_problem(error.code).at(row.number, c.ID_NUMBER))
            return None

    def _phone(self, number: int, column: str, text: str) -> str:
        if not text:
            return ""
        try:
            return parse_phone(text)
        except PhoneError as error:
            self._add(p.identifier_problem(error.code).at(number, column))
            return ""

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
