"""The unified social credit code (统一社会信用代码) of legal entities and other organisations,
GB 32100-2015. Every social organisation, enterprise and charity carries one on its certificate.

Eighteen characters from the 31-character alphabet ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (the
digits and the capital letters without I, O, Z, S and V, which read like 1, 0, 2, 5 and U):

====== ===========================================================================
1      registration authority (登记管理部门代码): 5 civil affairs (民政), 9 market
       regulation (工商), 1 establishment offices (机构编制), … (:data:`AUTHORITIES`)
2      organisation type (机构类别代码) within that authority, a digit 1–9; under civil
       affairs 1 social group (社会团体), 2 social service organisation (民办非企业单位),
       3 foundation (基金会), 9 other
3–8    the registering authority's division code (登记管理机关行政区划码, GB/T 2260)
9–17   the subject identifier (主体标识码), the organisation code of GB 11714: eight
       characters and its own check character
18     the check character of the first 17 (:func:`check_character`)
====== ===========================================================================

The 18th character: each of the first 17 characters is worth its index in the alphabet
(0–30), weighted 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 (powers of 3
modulo 31); the check is the character worth ``31 - sum % 31``, where 31 stands for 0. As 31 is
prime and no weight is 0 modulo 31, any single mistyped character changes the sum modulo 31, so
every one-character typo is caught (the property tests check this).

What is checked, after :func:`normalize_credit_code` (all whitespace and zero-width characters
dropped, full-width characters folded to ASCII, upper-cased), and the stable error codes of
:class:`CreditCodeError`, in the order the checks run (the first failure is reported):

=====================  ==============================================================
Code                   Meaning
=====================  ==============================================================
``credit_empty``       nothing left after normalisation
``credit_length``      not 18 characters
``credit_characters``  a character outside the alphabet (I, O, Z, S, V, punctuation …)
``credit_authority``   the 1st character is not a registration authority of the standard
``credit_type``        the 2nd character is not a digit 1–9
``credit_region``      characters 3–8 are not six digits
``credit_check``       the 18th character is not the check character of the first 17
=====================  ==============================================================

Deliberately not refused:

- the division code is not looked up: it is the registering office's code at the time, kept for
  life, so codes of merged or renamed counties are still valid; national registrations use
  100000. A list would turn real codes away and catch no typo the check character misses.
- the organisation type is not checked per authority: the authorities' own type lists have been
  extended by later notices, and an unknown digit is not a typo (the 18th catches typos).
- the organisation code's own GB 11714 check character (9th–17th: weights 3, 7, 9, 10, 5, 8, 4,
  2 over digit values, letters A = 10 …; ``11 - sum % 11`` with 10 → X and 11 → 0) is not
  enforced. The 18th character already catches every single typo in those positions, and codes
  carried over from older registrations are not all consistent with it; refusing them would stop
  a station from registering an organisation whose certificate is genuine.
  :func:`organisation_code_check_character` is used by :func:`make_credit_code` so the codes
  the tests and the demo make are well-formed in every part.
"""

from __future__ import annotations

from typing import NoReturn

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wushe.people.identity import FULL_WIDTH_TO_ASCII, INVISIBLE, IdentifierError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {character: value for value, character in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714 (组织机构代码): weights of the 8 body characters; letters count from A = 10.
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# GB 32100-2015 Appendix A, with the later authorities (military N/A, agriculture) in use.
AUTHORITIES: dict[str, Promise] = {
    "1": _("Establishment office"),  # 机构编制
    "2": _("Foreign affairs"),  # 外交
    "3": _("Justice"),  # 司法行政
    "4": _("Culture"),  # 文化
    "5": _("Civil affairs"),  # 民政
    "6": _("Tourism"),  # 旅游
    "7": _("Religious affairs"),  # 宗教
    "8": _("Trade union"),  # 工会
    "9": _("Market regulation"),  # 工商 (市场监管)
    "A": _("Central Military Commission"),  # 中央军委改革和编制办公室
    "N": _("Agriculture"),  # 农业
    "Y": _("Other authority"),  # 其他
}
# The types under civil affairs (民政), which registers nearly every social organisation.
CIVIL_AFFAIRS_TYPES: dict[str, Promise] = {
    "1": _("Social group"),  # 社会团体
    "2": _("Social service organisation"),  # 民办非企业单位 (社会服务机构)
    "3": _("Foundation"),  # 基金会
    "9": _("Other"),
}

CREDIT_ERRORS: dict[str, Promise] = {
    "credit_empty": _("Enter the unified social credit code."),
    "credit_length": _("A unified social credit code has 18 characters."),
    "credit_characters": _(
        "A unified social credit code is made of digits and capital letters other than "
        "I, O, Z, S and V."
    ),
    "credit_authority": _(
        "The first character of the credit code is not a registration authority "
        "(5 is civil affairs, 9 market regulation)."
    ),
    "credit_type": _("The second character of the credit code (the organisation type) is a digit."),
    "credit_region": _(
        "Characters 3 to 8 of the credit code are the six digits of a division code."
    ),
    "credit_check": _(
        "The last character of the credit code (its check character) does not match the "
        "others: a character is probably mistyped."
    ),
}


class CreditCodeError(IdentifierError):
    """A credit code that GB 32100 refuses; ``code`` is one of :data:`CREDIT_ERRORS`.

    The message never contains the input. ``as_validation_error()`` gives a field error.
    """


def normalize_credit_code(raw: str | None) -> str:
    """Drop all whitespace, fold full-width characters to ASCII, upper-case; no validation."""
    if raw is None:
        return ""
    text = str(raw).translate(FULL_WIDTH_TO_ASCII).translate(INVISIBLE)
    return "".join(text.split()).upper()


def check_character(first17: str) -> str:
    """The GB 32100 check character (the 18th) of the first 17 characters."""
    if len(first17) != 17 or any(character not in _VALUES for character in first17):
        raise ValueError("check_character() needs 17 characters of the credit-code alphabet")
    total = sum(
        _VALUES[character] * weight for character, weight in zip(first17, _WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def organisation_code_check_character(body8: str) -> str:
    """The GB 11714 check character of an organisation code's first 8 characters."""
    if len(body8) != 8 or any(c not in _ORGANISATION_VALUES for c in body8):
        raise ValueError("organisation_code_check_character() needs 8 digits or capitals")
    total = sum(
        _ORGANISATION_VALUES.index(character) * weight
        for character, weight in zip(body8, _ORGANISATION_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def parse_credit_code(raw: str | None) -> str:
    """The canonical 18-character code, or raise :class:`CreditCodeError`."""
    code = normalize_credit_code(raw)
    if not code:
        _fail("credit_empty")
    if len(code) != 18:
        _fail("credit_length")
    if any(character not in _VALUES for character in code):
        _fail("credit_characters")
    if code[0] not in AUTHORITIES:
        _fail("credit_authority")
    if code[1] not in "123456789":
        _fail("credit_type")
    if not code[2:8].isdigit():
        _fail("credit_region")
    if check_character(code[:17]) != code[17]:
        _fail("credit_check")
    return code


def is_valid_credit_code(raw: str | None) -> bool:
    try:
        parse_credit_code(raw)
    except CreditCodeError:
        return False
    return True


def make_credit_code(first17: str) -> str:
    """A code with its check character appended (for tests and the demo).

    Given only 16 characters (authority, type, division and the organisation code's 8-character
    body), the organisation code's GB 11714 check character is added first.
    """
    first17 = normalize_credit_code(first17)
    if len(first17) == 16:
        first17 += organisation_code_check_character(first17[8:])
    return first17 + check_character(first17)


def describe_credit_code(code: str) -> tuple[Promise | None, Promise | None]:
    """(authority, type) names of a checked code; the type only under civil affairs."""
    authority = AUTHORITIES.get(code[:1])
    kind = CIVIL_AFFAIRS_TYPES.get(code[1:2]) if code[:1] == "5" else None
    return authority, kind


def _fail(code: str) -> NoReturn:
    raise CreditCodeError(code, CREDIT_ERRORS[code])
