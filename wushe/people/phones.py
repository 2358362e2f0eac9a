"""Mainland China phone numbers (中国大陆电话号码): residents', guardians' and contacts' phones.

:func:`parse_phone` returns one canonical form, so the same phone written two ways is one value
(the import's "a changed phone is updated" and the keyed-hash lookup depend on that):

- a mobile (手机) as its 11 digits, ``13800138000``;
- a landline (固定电话) as trunk 0, area code, dash, local number: ``0755-26888888``,
  ``010-62345678``. The area code is 2 digits after the 0 for 010 and 020–029, else 3.

Accepted spellings, after :func:`normalize_phone` (whitespace, dashes and brackets dropped,
full-width characters folded to ASCII): a bare mobile, a landline with its area code, and either
one after ``+86``, ``0086`` or ``86`` (with or without the landline's trunk 0, so
``+86 (0)755 2688 8888`` works).

Why plain rules *and* ``phonenumbers``: the rules decide the shape, which is what people actually
write here; Google's libphonenumber metadata (the ``phonenumbers`` package, updated with each
release) then decides whether the number is allocated, which a regex cannot keep up with. So
``1[3-9]`` + 9 digits is necessary but not enough: data-only IoT segments (140–144), unallocated
ones (154), area codes that do not exist (0300) and 7-digit local numbers where the city dials 8
are refused. When a new mobile segment opens, upgrading ``phonenumbers`` admits it.

A mobile, nearly every phone a sheet holds, is decided without ``phonenumbers``' per-call
machinery (a PhoneNumber object, its region lookup, a pattern cache per type: 5 µs a phone, a
fifth of an import's time): :func:`_is_allocated_mobile` asks the same questions of the same
metadata patterns, compiled once, in the order ``phonenumbers.number_type`` asks them. The tests
compare the two on every five-digit prefix and on generated numbers. Landlines, rarer and more
varied, still go through ``phonenumbers.number_type``.

Also refused, all as ``phone_not_mainland``: Hong Kong, Macao, Taiwan and foreign numbers, service
numbers (400/800, 95xxx, 12345), numbers without an area code, and extensions, since none reaches a
person at home.

======================  =========================================================
Code                    Meaning
======================  =========================================================
``phone_empty``         nothing left after normalisation
``phone_not_mainland``  not a mainland mobile or landline in the forms above
======================  =========================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NoReturn

import phonenumbers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneMetadata, PhoneNumberType

from wushe.people.identity import FULL_WIDTH_TO_ASCII, INVISIBLE, IdentifierError

PHONE_ERRORS: dict[str, Promise] = {
    "phone_empty": _("Enter the phone number."),
    "phone_not_mainland": _(
        "Enter a mainland China mobile number (11 digits) or a landline with its area code, "
        "such as 0755-26888888."
    ),
}

# Separators people type between digit groups: ASCII and typographic dashes, brackets, dots.
_SEPARATORS = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212()."))
# [0-9], not \d: \d would let other scripts' digits through.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})[0-9]{7,8}")
_LANDLINE_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


class PhoneError(IdentifierError):
    """A phone that is not a mainland number; ``code`` is one of :data:`PHONE_ERRORS`."""


def normalize_phone(raw: str | None) -> str:
    """Drop whitespace, dashes, brackets and dots, fold full-width characters; no validation."""
    if raw is None:
        return ""
    text = str(raw).translate(FULL_WIDTH_TO_ASCII).translate(INVISIBLE).translate(_SEPARATORS)
    return "".join(text.split())


def parse_phone(raw: str | None) -> str:
    """The canonical form of a mainland phone (see the module docstring), or raise PhoneError."""
    if type(raw) is str and len(raw) == 11 and raw.isascii() and _MOBILE.fullmatch(raw):
        # Already canonical, as most cells are: nothing to normalise.
        if _is_allocated_mobile(raw):
            return raw
        _fail("phone_not_mainland")
    text = normalize_phone(raw)
    if not text:
        _fail("phone_empty")
    national = _national(text)
    if _MOBILE.fullmatch(national):
        if not _is_allocated_mobile(national):
            _fail("phone_not_mainland")
        return national
    if _LANDLINE.fullmatch(national):
        _check_allocated(national[1:], _LANDLINE_TYPES)
        area = 3 if national[1] in "12" else 4  # with the trunk 0: 010, 02x, else 0xxx
        return national[:area] + "-" + national[area:]
    _fail("phone_not_mainland")


def mask_phone(canonical: str) -> str:
    """138****5678 for a mobile, 0755-****8888 for a landline (area code and last 4 stay)."""
    area, dash, local = canonical.rpartition("-")
    if dash:
        return area + dash + _star_all_but_last4(local)
    if len(canonical) == 11:
        return canonical[:3] + "****" + canonical[-4:]
    return _star_all_but_last4(canonical)


def _national(text: str) -> str:
    """The number as dialled inside the mainland; anything else comes back unchanged."""
    for prefix in ("+86", "0086", "86"):  # domestic numbers start with 0 or 1, never 86
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            # Written internationally a landline usually drops its trunk 0: put it back.
            return rest if rest.startswith("0") or _MOBILE.fullmatch(rest) else "0" + rest
    return text


def _mobile_rule() -> tuple[Callable[[str], object], ...]:
    """The CN metadata's patterns that can match 11 digits, compiled once, in the order of
    ``phonenumbers.phonenumberutil._number_type_helper``: (the general pattern, the mobile one,
    the fixed-line one, whether those two are the same, then every other type's)."""
    meta = PhoneMetadata.metadata_for_region("CN")

    def matcher(desc) -> Callable[[str], object]:
        if desc is None or not desc.national_number_pattern:
            return _never
        if desc.possible_length and 11 not in desc.possible_length:
            return _never
        return re.compile(desc.national_number_pattern).fullmatch

    others = (
        meta.premium_rate,
        meta.toll_free,
        meta.shared_cost,
        meta.voip,
        meta.personal_number,
        meta.pager,
        meta.uan,
        meta.voicemail,
    )
    return (
        matcher(meta.general_desc),
        matcher(meta.mobile),
        matcher(meta.fixed_line),
        bool(meta.same_mobile_and_fixed_line_pattern),
        *(match for match in map(matcher, others) if match is not _never),
    )


def _never(_text: str) -> None:
    return None


_GENERAL, _MOBILE_PATTERN, _FIXED_PATTERN, _SAME_PATTERNS, *_OTHER_TYPES = _mobile_rule()


def _is_allocated_mobile(national: str) -> bool:
    """Whether ``number_type`` of this ``1[3-9]`` + 9 digits number is MOBILE or
    FIXED_LINE_OR_MOBILE: a number of another type (premium, shared cost…) is not a person's."""
    if not _GENERAL(national) or any(other(national) for other in _OTHER_TYPES):
        return False
    if _FIXED_PATTERN(national):
        return _SAME_PATTERNS or bool(_MOBILE_PATTERN(national))
    return not _SAME_PATTERNS and bool(_MOBILE_PATTERN(national))


def _check_allocated(significant: str, types: tuple[int, ...]) -> None:
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(significant))
    if phonenumbers.number_type(number) not in types:
        _fail("phone_not_mainland")


def _star_all_but_last4(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def _fail(code: str) -> NoReturn:
    raise PhoneError(code, PHONE_ERRORS[code])
