"""The costly part of checking a row, as one pure function of four cells.

Parsing the ID number and the phones, their keyed hashes, their tokens and the name's pinyin take
four fifths of a row's checking time (``bench/residents_import.py``) and need nothing but the
cells, the keys and today's date. Kept apart from the checks that read the results, so that it
can be measured, and spread over processes on a machine where that pays: on the 2-vCPU machine
the bench ran on, two processes did 1.1 times the work of one, and a forked pool was slower
than none, so there is none.

Tokens are made for every good row, before it is known whether the file is new or already there:
a row that turns out to update a file uses them only for what changed.
"""

from __future__ import annotations

from datetime import date

from wushe.core.crypto import encrypter, lookup_hasher
from wushe.people.identity import IdNumberError, IdNumberReader
from wushe.people.importing.names import NameKeys
from wushe.people.phones import PhoneError, parse_phone

# (ID error code or "", id token, id hash, birth date, gender,
#  phone error code or "", phone (canonical or ""), phone hash, phone token,
#  guardian phone error code or "", guardian phone, guardian phone token, pinyin, initials)
Derived = tuple
# (ID number cell or None when the reader refused it, phone cell, guardian phone cell, name)
Cells = tuple[str | None, str, str, str]


class Deriver:
    def __init__(self, today: date) -> None:
        self.today = today
        self.read_id = IdNumberReader(today)
        self.hash_id = lookup_hasher("id_number")
        self.hash_phone = lookup_hasher("phone")
        self.encrypt = encrypter()
        self.name_keys = NameKeys()

    def __call__(self, cells: Cells) -> Derived:
        id_text, phone_text, guardian_text, name = cells
        id_code, id_token, id_hash, born, gender = "", "", "", None, ""
        if id_text is not None:
            try:
                number, born, gender = self.read_id(id_text)
            except IdNumberError as error:
                id_code = error.code
            else:
                id_token = self.encrypt(number)
                id_hash = self.hash_id(number)
        phone_code, phone = _phone(phone_text)
        guardian_code, guardian = _phone(guardian_text)
        encrypt = self.encrypt
        return (
            id_code,
            id_token,
            id_hash,
            born,
            gender,
            phone_code,
            phone,
            self.hash_phone(phone) if phone else "",
            encrypt(phone) if phone else "",
            guardian_code,
            guardian,
            encrypt(guardian) if guardian else "",
            *self.name_keys(name),
        )


def _phone(text: str) -> tuple[str, str]:
    if not text:
        return "", ""
    try:
        return "", parse_phone(text)
    except PhoneError as error:
        return error.code, ""
