"""Reading residents' files, always from the user's visible subtree first."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from wushe.people.identity import IdNumberError, normalize_id_number, parse_id_number
from wushe.people.models import Resident
from wushe.people.services import id_hash_of

_ID_SHAPE = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_LATIN = re.compile(r"^[a-z]+$")


def resident_list(*, user) -> QuerySet[Resident]:
    return Resident.objects.visible_to(user).select_related("region")


def resident_search(*, user, query: str) -> QuerySet[Resident]:
    """By exact ID number (through the keyed hash), by pinyin or initials (zhangsanfeng, zsf,
    zhangs…), or by a part of the name; never outside the user's subtree."""
    residents = resident_list(user=user)
    query = (query or "").strip()
    if not query:
        return residents.none()
    number = normalize_id_number(query)
    if _ID_SHAPE.match(number):
        try:
            number = parse_id_number(number).number
        except IdNumberError:
            return residents.none()
        return residents.filter(id_hash=id_hash_of(number))
    latin = query.lower().replace(" ", "")
    if _LATIN.match(latin):
        return residents.filter(
            Q(name_initials__startswith=latin) | Q(name_pinyin__startswith=latin)
        )
    return residents.filter(name__contains=query)
