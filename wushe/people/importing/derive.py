"""The costly part of checking a row, as one pure function of four cells.

Parsing the ID number and the phones, their keyed hashes, their tokens and the name's pinyin take
about half of a row's checking time (``bench/residents_import.py``) and need nothing but the
cells, the keys and today's date. Kept apart from the checks that read the results, so that it
can be measured, and run in a second process while the first checks (``parallel``).

Only str and None come out (the birth date as ISO 8601 text), so that results cross between
processes by ``marshal``, a third of ``pickle``'s time. Tokens are made for every good row,
before it is known whether the file is new or already there: a row that turns out to update a
file uses them only for what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from wushe.core.crypto import encrypter, lookup_hasher
from wushe.people.identity import IdNumberError, IdNumberReader
from wushe.people.importing.names import NameKeys
from wushe.people.phones import PhoneError, parse_phone

# (ID error code or "", id token, id hash, birth date (ISO 8601, or None), gender,
#  phone error code or "", phone (canonical or ""), phone hash, phone token,
#  guardian phone error code or "", guardian phone, guardian phone token, pinyin, initials)
Derived = tuple
# (ID number cell or None when the reader refused it, phone cell, guardian phone cell, name)
Cells = tuple[str | None, str, str, str]


def deriver(today: date) -> Callable[[Cells], Derived]:
    """``derive(cells)``: keep one per import and process (its memos grow with the file). The
    work is a closure over its tools: a local lookup is cheaper than an attribute's, and this
    runs a million times (about 1 µs a row less than as a method)."""
    read_id = IdNumberReader(today)
    hash_id = lookup_hasher("id_number")
    hash_phone = lookup_hasher("phone")
    encrypt = encrypter()
    name_keys = NameKeys()
    iso: dict[str, str] = {}  # YYYYMMDD -> YYYY-MM-DD

    def derive(cells: Cells) -> Derived:
        id_text, phone_text, guardian_text, name = cells
        id_code = id_token = id_hash = gender = ""
        born = None
        if id_text is not None:
            try:
                number, _date, gender = read_id(id_text)
            except IdNumberError as error:
                id_code = error.code
            else:
                id_token = encrypt(number)
                id_hash = hash_id(number)
                digits = number[6:14]
                born = iso.get(digits)
                if born is None:  # as ISO 8601, once per birth date
                    born = iso[digits] = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
        phone_code = phone = phone_hash = phone_token = ""
        if phone_text:
            try:
                phone = parse_phone(phone_text)
            except PhoneError as error:
                phone_code = error.code
            else:
                phone_hash = hash_phone(phone)
                phone_token = encrypt(phone)
        guardian_code = guardian = guardian_token = ""
        if guardian_text:
            try:
                guardian = parse_phone(guardian_text)
            except PhoneError as error:
                guardian_code = error.code
            else:
                guardian_token = encrypt(guardian)
        pinyin, initials = name_keys(name)
        return (
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
            guardian,
            guardian_token,
            pinyin,
            initials,
        )

    return derive
