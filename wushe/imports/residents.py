"""Residents' files (建档) as an import kind: ``people.importing`` behind the registry.

The import itself (checks, all-or-nothing write, audit) is ``import_residents``'s; this module
adds what the pages need besides: the preview of the first rows as they will be filed, with
ID numbers and phones masked as the resident list masks them.
"""

from __future__ import annotations

from itertools import islice
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.tabular import read_table
from wushe.imports.kinds import ImportKind, Preview, PreviewRow, register
from wushe.people.choices import Category, Gender
from wushe.people.identity import IdNumberError, mask_id_number, normalize_id_number
from wushe.people.identity import parse_id_number as parse_id
from wushe.people.importing import COLUMNS, import_residents, write_residents_template
from wushe.people.importing import columns as c
from wushe.people.models import Resident
from wushe.people.phones import PhoneError, mask_phone, normalize_phone, parse_phone
from wushe.people.services import WRITERS, id_hash_of
from wushe.regions.models import Region


def preview(source: IO[bytes], *, user, limit: int, error_rows: set[int]) -> Preview:
    """The first ``limit`` data rows as they will be filed; rows in ``error_rows`` marked."""
    headers = [
        _("row"),
        _("full name"),
        _("gender"),
        _("birth date"),
        _("ID number"),
        _("phone"),
        _("home village"),
        _("address"),
        _("categories"),
    ]
    with read_table(source, columns=COLUMNS) as table:
        rows = list(islice(table, limit)) if table.usable else []
    ids = {row.number: _id_number(row.values[c.ID_NUMBER]) for row in rows}
    villages = _village_names(user, [row.values[c.VILLAGE] for row in rows])
    filed = _filed(user, [found.number for found in ids.values() if found])
    shown = []
    for row in rows:
        values, found = row.values, ids[row.number]
        if row.number in error_rows:
            state = "error"
        else:
            state = "filed" if found and found.number in filed else "new"
        cells = [
            str(row.number),
            values[c.NAME],
            _gender(found, values[c.GENDER]),
            found.birth_date.isoformat() if found else "",
            mask_id_number(found.number if found else normalize_id_number(values[c.ID_NUMBER])),
            _masked_phone(values[c.PHONE]),
            villages.get(values[c.VILLAGE], values[c.VILLAGE]),
            values[c.ADDRESS],
            _categories(values[c.CATEGORIES]),
        ]
        shown.append(PreviewRow(row.number, cells, state))
    return Preview(headers, shown)


def _id_number(text: str):
    try:
        return parse_id(text)
    except IdNumberError:
        return None


def _gender(found, written: str) -> str:
    if found is not None:
        return str(Gender(found.gender).label)
    value = c.gender_of(written)
    return str(Gender(value).label) if value else written


def _masked_phone(text: str) -> str:
    try:
        return mask_phone(parse_phone(text)) if text else ""
    except PhoneError:
        return mask_id_number(normalize_phone(text))  # starred all but the ends, never whole


def _categories(text: str) -> str:
    mask, elderly, unknown = c.categories_of(text)
    names = [str(Category(value).label) for value in c.categories_in(mask)]
    return "、".join(names + (["高龄"] if elderly else []) + unknown)


def _village_names(user, texts: list[str]) -> dict[str, str]:
    """Each village code as written → "code name", for the villages the user can see."""
    codes = {text: text.ljust(12, "0") for text in texts if text.isascii() and text.isdigit()}
    regions = Region.objects.visible_to(user).filter(code__in=set(codes.values()))
    names = dict(regions.values_list("code", "name"))
    return {text: f"{name} ({text})" for text, code in codes.items() if (name := names.get(code))}


def _filed(user, numbers: list[str]) -> set[str]:
    """Which of these ID numbers already have a file the user can see."""
    hashes = {id_hash_of(number): number for number in numbers}
    found = Resident.objects.visible_to(user).filter(id_hash__in=list(hashes))
    return {hashes[value] for value in found.values_list("id_hash", flat=True)}


RESIDENTS = ImportKind(
    key="residents",
    label=gettext_lazy("Residents' files"),
    run=import_residents,
    preview=preview,
    write_template=write_residents_template,
    may_import=lambda user: user.role in WRITERS,
    list_url="people:resident_list",
)
register(RESIDENTS)
