"""Checking rows by themselves: the rules of ``services.resident_file`` that need no database,
and each good row's file as COPY text. Runs in the import's children (``parallel``) or in-process.

A chunk of rows goes in as records — (row number, the cells in ``COLUMN_NAMES`` order, whether
the reader refused the ID number's cell) — and comes out as one :data:`Checked` tuple of
columns: what the parent needs to finish the checks that need the whole file or the database
(``planning``) and to write the new files. Only str, int, bool, None and lists, tuples and
dicts of them come out, so that a chunk crosses between processes by ``marshal``; a row that
will be filed crosses as one string, its file's COPY text (:data:`Fragment`), not as a dozen.

Every problem is reported with its row and column, in the order the checks find them. Those
of one row come in two runs: the checks before the duplicate-in-file check (which the parent
makes: only it sees the whole file) and those after it (``slot`` 0 and 1).
"""

from __future__ import annotations

import re
import sys
from datetime import date

from wushe.core.tabular import RowError
from wushe.people.choices import ELDERLY_AGE, Category, RiskLevel
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.importing.derive import deriver

COLUMN_NAMES = tuple(column.name for column in c.COLUMNS)
# A record: (row number, cells in COLUMN_NAMES order, the reader refused the ID number's cell).
Record = tuple[int, tuple[str, ...], bool]
# An error as it crosses the pipe: (row, slot, column, code, message_zh, message_en).
Error = tuple[int, int, str, str, str, str]
# The checked rows of a chunk: (rows, errors, and per row whose ID number is good: numbers,
# id hashes, oks, villages as written, categories masks (None: blank cell), birth months
# "YYYY-MM", risk levels as written, guardian phones (canonical), fragments ("" when not ok),
# and {index: the error a new file would get from the disability rule}).
Checked = tuple
# A file's COPY text from name to notes (see writing.FILE_COLUMNS), escaped, without the id,
# the village and the columns every file of the import shares.
Fragment = str

_NUL = "\x00"
_TEXT_LIMITS = (*c.MAX_LENGTHS.items(), (c.NOTES, float("inf")))
_AT = {name: index for index, name in enumerate(COLUMN_NAMES)}
_NAME_LIMIT, _ADDRESS_LIMIT, _GUARDIAN_LIMIT = (
    c.MAX_LENGTHS[c.NAME],
    c.MAX_LENGTHS[c.ADDRESS],
    c.MAX_LENGTHS[c.GUARDIAN],
)
_DISABLED = c.CATEGORY_BITS[Category.DISABLED]
_LOW = RiskLevel.LOW.value
_NULL = "\\N"
_GRADES = {None: _NULL, 1: "1", 2: "2", 3: "3", 4: "4"}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ESCAPED = re.compile(r"\\[\\tnr]")
# In a fragment: name, pinyin, initials, gender, ID token, ID hash, birth date, phone token,
# phone hash, address, disability grade, guardian, guardian phone token, risk level, notes.
_TEXT_AT = (0, 1, 2, 9, 11, 14)
_GRADE_AT = 10


def escape(text: str) -> str:
    """A cell as COPY's text format must see it."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def unescape(text: str) -> str:
    """A cell as ``escape`` wrote it, read back."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda match: _UNESCAPES[match[0]], text)


def read_fragment(fragment: Fragment) -> list:
    """A fragment's values in ``writing.FILE_COLUMNS`` order, as stored: text unescaped, the
    disability grade an int or None."""
    values: list = fragment.split("\t")
    if "\\" in fragment:
        for at in _TEXT_AT:
            values[at] = unescape(values[at])
    grade = values[_GRADE_AT]
    values[_GRADE_AT] = None if grade == _NULL else int(grade)
    return values


def error(row_error: RowError, slot: int = 0) -> Error:
    e = row_error
    return (e.row, slot, e.column, e.code, e.message_zh, e.message_en)


class RowWork:
    """Checks chunks of records; keep one per import and process (its memos grow with it)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.derive = deriver(today)
        self._category_spellings: dict[str, tuple[int, bool, list[str]]] = {}
        self._strings: dict[str, str] = {}  # villages, months: one object each, marshalled once

    def check(self, records: list[Record], errors: list[Error] | None = None) -> Checked:
        """The chunk's :data:`Checked`; ``errors`` may hold the reader's own, already in order."""
        errors = [] if errors is None else errors
        out: tuple[list, ...] = ([], [], [], [], [], [], [], [], [])
        new_problems: dict[int, Error] = {}
        for number, values, refused in records:
            self._row(number, values, refused, errors, out, new_problems)
        return (len(records), errors, *out, new_problems)

    def _row(self, number, values, refused, errors, out, new_problems) -> None:
        (
            name,
            gender_text,
            id_text,
            phone_text,
            village,
            address,
            categories_text,
            notes,
            grade_text,
            risk_text,
            guardian,
            guardian_text,
        ) = values
        before = len(errors)
        if not name:
            errors.append(error(p.NAME_MISSING.at(number, c.NAME)))
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
                text = values[_AT[column]]
                if _NUL in text:
                    errors.append(error(p.BAD_CHARACTER.at(number, column, column=column)))
                elif len(text) > limit:
                    problem = p.TOO_LONG.at(
                        number, column, column=column, limit=limit, length=len(text)
                    )
                    errors.append(error(problem))
        written_gender = c.gender_of(gender_text)
        if written_gender is None:
            errors.append(error(p.GENDER_UNKNOWN.at(number, c.GENDER)))
        (
            id_code,
            id_token,
            id_hash,
            born,
            gender,
            phone_code,
            _phone,
            phone_hash,
            phone_token,
            guardian_code,
            guardian_phone,
            guardian_token,
            pinyin,
            initials,
        ) = self.derive((None if refused else id_text, phone_text, guardian_text, name))
        if phone_code:
            errors.append(error(p.identifier_problem(phone_code).at(number, c.PHONE)))
        if guardian_code:
            problem = p.identifier_problem(guardian_code)
            errors.append(error(problem.at(number, c.GUARDIAN_PHONE)))
        read = self._category_spellings.get(categories_text)
        mask, elderly, unknown = read if read is not None else self._categories(categories_text)
        if unknown:
            problem = p.CATEGORY_UNKNOWN.at(
                number, c.CATEGORIES, names="、".join(unknown), known=c.KNOWN_CATEGORIES
            )
            errors.append(error(problem))
        grade = None
        if grade_text:
            grade = c.grade_of(grade_text)
            if grade is None:
                errors.append(error(p.DISABILITY_GRADE_INVALID.at(number, c.DISABILITY_GRADE)))
        risk = ""
        if risk_text:
            risk = c.risk_of(risk_text) or ""
            if not risk:
                errors.append(error(p.RISK_UNKNOWN.at(number, c.RISK_LEVEL)))
        if not village:
            errors.append(error(p.VILLAGE_MISSING.at(number, c.VILLAGE)))
        if id_code:
            errors.append(error(p.identifier_problem(id_code).at(number, c.ID_NUMBER)))
        if not id_hash:
            return  # refused by the reader (not_text) or by the ID rules
        # (the parent's duplicate-in-file check goes here: slot 0 before, 1 after)
        if written_gender and written_gender != gender:
            zh, en = c.GENDER_WORDS[gender]
            problem = p.GENDER_MISMATCH.at(number, c.GENDER, expected_zh=zh, expected_en=en)
            errors.append(error(problem, 1))
        if elderly and _age_on(born, self.today) < ELDERLY_AGE:
            errors.append(error(p.ELDERLY_AGE.at(number, c.CATEGORIES), 1))
        ok = not refused and len(errors) == before
        numbers, hashes, oks, villages, masks, months, risks, guardians, fragments = out
        strings = self._strings
        if (interned := strings.get(village)) is None:
            interned = strings[village] = sys.intern(village)
        month = born[:7]
        if (month_interned := strings.get(month)) is None:
            month_interned = strings[month] = month
        index = len(numbers)
        numbers.append(number)
        hashes.append(id_hash)
        oks.append(ok)
        villages.append(interned)
        masks.append(mask if (mask or elderly) else None)
        months.append(month_interned)
        risks.append(risk)
        guardians.append(guardian_phone)
        if mask & _DISABLED and grade is None:
            new_problems[index] = error(p.DISABILITY_GRADE_MISSING.at(number, c.DISABILITY_GRADE))
        elif not mask & _DISABLED and grade is not None:
            problem = p.DISABILITY_GRADE_UNEXPECTED.at(number, c.DISABILITY_GRADE)
            new_problems[index] = error(problem)
        if not ok:
            fragments.append("")
            return
        # Only the six text cells may hold a character COPY must see escaped (pinyin keeps
        # what is not Chinese): looking through them at once takes a fifth of the time of
        # escaping each.
        texts = name + pinyin + initials + address + guardian + notes
        if "\\" in texts or "\t" in texts or "\n" in texts or "\r" in texts:
            name, pinyin, initials = escape(name), escape(pinyin), escape(initials)
            address, guardian, notes = escape(address), escape(guardian), escape(notes)
        fragments.append(
            f"{name}\t{pinyin}\t{initials}\t{gender}\t{id_token}\t{id_hash}\t{born}\t"
            f"{phone_token}\t{phone_hash}\t{address}\t{_GRADES[grade]}\t{guardian}\t"
            f"{guardian_token}\t{risk or _LOW}\t{notes}"
        )

    def _categories(self, text: str) -> tuple[int, bool, list[str]]:
        # A sheet spells its categories a few dozen ways: read each spelling once.
        read = c.categories_of(text)
        if len(self._category_spellings) < 10_000:
            self._category_spellings[text] = read
        return read


def _age_on(born: str, day: date) -> int:
    """IdNumber.age_on (of an ISO 8601 birth date): completed years on ``day``."""
    year, month, days = int(born[:4]), int(born[5:7]), int(born[8:10])
    return day.year - year - ((day.month, day.day) < (month, days))
