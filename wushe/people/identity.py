"""The citizen identity number (公民身份号码, printed on the 居民身份证), GB 11643-1999.

Eighteen characters: a 6-digit address code (the county where the number was first issued, from
GB/T 2260), the birth date as YYYYMMDD, a 3-digit sequence whose last digit is odd for men and
even for women, and a check character computed from the first 17 digits by ISO 7064 MOD 11-2
(weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the sum's remainder modulo 11 indexes
``"10X98765432"``). MOD 11-2 catches every single mistyped character and every swap of two
neighbouring characters, so a typo is found here, before it reaches a resident's file.

The first-generation number (GB 11643-1989, on cards valid until 2013) has 15 digits: address
code, YYMMDD (always 19YY) and sequence, with no check character. It is converted to 18 by
inserting "19" and appending the computed check character, so one person has one number.

What is accepted, after :func:`normalize_id_number` (whitespace dropped, full-width characters
folded to ASCII, ``x`` upper-cased), and the stable error codes of :class:`IdNumberError`, in the
order the checks run (the first failure is reported):

==================  =================================================================
Code                Meaning
==================  =================================================================
``id_empty``        nothing left after normalisation
``id_length``       neither 18 characters nor 15
``id_characters``   a character other than a digit, or an X anywhere but last
                    (a 15-digit number has no X at all)
``id_region``       the first two digits are not a province-level code (list below)
``id_date``         digits 7–14 (7–12 of a 15-digit number) are not a real date
``id_future``       the birth date is after today (Asia/Shanghai)
``id_too_old``      the birth date is more than 130 years before today
``id_check_digit``  the 18th character is not the MOD 11-2 check character
==================  =================================================================

The region check is on the province part only: GB/T 2260's 31 provinces, autonomous regions and
municipalities (11–15, 21–23, 31–37, 41–46, 50–54, 61–65), Taiwan 71, Hong Kong 81 and Macao 82,
plus 83, which the residence permits of Taiwan residents (台湾居民居住证, 2018) use as their
address code (those of Hong Kong and Macao residents use 810000 and 820000). Permits are issued
in the same format and are what such residents show a station. The county digits are not checked
against a division list: numbers keep the code of the county that first issued them, including
codes abolished since, so no current list could tell a typo from an old county. The foreigners'
permanent residence card of 2023 (starting with 9) is a different document: its digits 4–6 are a
nationality, not a place, so it is refused (``id_region``) rather than misread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import mul
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MALE = "male"  # same values as people.choices.Gender
FEMALE = "female"
MAX_AGE = 130

PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
# The weights applied to ASCII codes rather than digits add 48 * sum(weights): taken off at once.
_ASCII_ZEROS = ord("0") * sum(_WEIGHTS)

# Full-width ASCII (U+FF01..U+FF5E) folds to ASCII; Excel cells and Chinese IMEs produce it.
FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Zero-width characters are not whitespace to str.split() but ride along in copied cells.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

ID_ERRORS: dict[str, Promise] = {
    "id_empty": _("Enter the ID number."),
    "id_length": _("An ID number has 18 characters (an old one has 15 digits)."),
    "id_characters": _("An ID number is made of digits; only the last character may be an X."),
    "id_region": _("The ID number does not start with a province code."),
    "id_date": _("The birth date in the ID number is not a real date."),
    "id_future": _("The birth date in the ID number is in the future."),
    "id_too_old": _("The birth date in the ID number is more than 130 years ago."),
    "id_check_digit": _(
        "The last character of the ID number (its check digit) does not match the others: "
        "a character is probably mistyped."
    ),
}


class IdentifierError(ValueError):
    """Bad personal identifier: a stable ``code`` and a translatable ``message``.

    The message never contains the input, so the error can be logged or reported safely.
    ``str(error)`` renders it in the active language.
    """

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.message, code=self.code)


class IdNumberError(IdentifierError):
    """An ID number that GB 11643 refuses; ``code`` is one of :data:`ID_ERRORS`."""


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A checked 18-character ID number and what it says about its holder."""

    number: str
    birth_date: date
    gender: str  # MALE or FEMALE
    region_prefix: str  # the 6-digit address code
    legacy: bool  # given as a 15-digit first-generation number

    def age_on(self, day: date) -> int:
        """Completed years of age on ``day``."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def __repr__(self) -> str:  # masked, so a stray log line or traceback holds no number
        return f"IdNumber({mask_id_number(self.number)}, legacy={self.legacy})"


def normalize_id_number(raw: str | None) -> str:
    """Drop all whitespace, fold full-width characters to ASCII, upper-case; no validation."""
    if raw is None:
        return ""
    text = str(raw).translate(FULL_WIDTH_TO_ASCII).translate(INVISIBLE)
    return "".join(text.split()).upper()


def check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_digit() needs exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Check an ID number (any of the forms normalisation accepts) or raise IdNumberError."""
    number = normalize_id_number(raw)
    if not number:
        _fail("id_empty")
    if len(number) not in (15, 18):
        _fail("id_length")
    legacy = len(number) == 15
    digits = number if legacy else number[:17]
    if not number.isascii() or not digits.isdigit() or number[-1] not in "0123456789X":
        _fail("id_characters")
    if number[:2] not in PROVINCE_CODES:
        _fail("id_region")
    birth_date = _birth_date("19" + number[6:12] if legacy else number[6:14])
    _check_age(birth_date, today or timezone.localdate())
    if legacy:
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_digit(first17)
    elif check_digit(digits) != number[17]:
        _fail("id_check_digit")
    return IdNumber(
        number=number,
        birth_date=birth_date,
        gender=MALE if int(number[16]) % 2 else FEMALE,
        region_prefix=number[:6],
        legacy=legacy,
    )


class IdNumberReader:
    """``parse_id_number`` for many numbers on one day (an import's): the same numbers accepted
    and the same errors raised, as (number, birth date, gender), in a quarter of the time.

    A number already in its canonical form, as nearly every cell of a sheet is, is checked here:
    its birth date against the dates this reader has already found real and in range (a dict
    lookup instead of a date built and compared twice), its check character with the weights
    applied to the bytes in one pass. Any other number, and any that fails a check here, goes
    to ``parse_id_number``, so every error comes, with its code, from the one implementation.
    """

    def __init__(self, today: date) -> None:
        self.today = today
        self._dates: dict[str, date] = {}  # YYYYMMDD -> a birth date accepted on ``today``

    def __call__(self, raw: str) -> tuple[str, date, str]:
        if (
            type(raw) is str
            and len(raw) == 18
            and raw.isascii()
            and raw[:17].isdigit()
            and raw[:2] in PROVINCE_CODES
        ):
            born = self._dates.get(raw[6:14])
            if born is not None:
                total = sum(map(mul, _WEIGHTS, raw.encode())) - _ASCII_ZEROS
                if raw[17] == _CHECK_CHARACTERS[total % 11]:
                    return raw, born, FEMALE if raw[16] in "02468" else MALE
        identity = parse_id_number(raw, today=self.today)
        self._dates[identity.number[6:14]] = identity.birth_date
        return identity.number, identity.birth_date, identity.gender


def is_valid_id_number(raw: str, *, today: date | None = None) -> bool:
    try:
        parse_id_number(raw, today=today)
    except IdNumberError:
        return False
    return True


def make_id_number(region6: str, birth_date: date, sequence3: int | str) -> str:
    """A well-formed 18-character number (for tests, the demo and the import bench).

    The region is not checked against :data:`PROVINCE_CODES`, so tests can also build numbers
    whose only fault is their region.
    """
    sequence = int(sequence3)
    if len(region6) != 6 or not region6.isascii() or not region6.isdigit():
        raise ValueError("region6 must be 6 ASCII digits")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence3 must be between 0 and 999")
    first17 = f"{region6}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def mask_id_number(number: str) -> str:
    """110101********123X: the address code and the last 4 characters stay, the rest is starred.

    Anything of 10 characters or fewer is starred entirely, so a mask never shows a whole value.
    """
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def _birth_date(yyyymmdd: str) -> date:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        _fail("id_date")


def _check_age(birth_date: date, today: date) -> None:
    if birth_date > today:
        _fail("id_future")
    try:
        oldest = today.replace(year=today.year - MAX_AGE)
    except ValueError:  # today is 29 February and that year had none
        oldest = today.replace(year=today.year - MAX_AGE, day=28)
    if birth_date < oldest:
        _fail("id_too_old")


def _fail(code: str) -> NoReturn:
    raise IdNumberError(code, ID_ERRORS[code])
