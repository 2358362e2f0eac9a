"""Turning what a spreadsheet stored into the text a user typed.

Excel keeps numbers as binary floats with 15 significant digits: a phone typed without quotes
comes back as 13812345678.0 and an 18-digit ID number as 4.40305199001011e+17, its last three
digits already gone. Numbers are therefore written back as Excel shows them (15 significant
digits, never in scientific notation), and text-only columns refuse them (``stored_as_text``,
``is_scientific``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

# Python's whitespace (which includes the ideographic space U+3000 and the no-break space)
# plus the zero-width characters that come along when cells are pasted from web pages.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
STRIP = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + _ZERO_WIDTH
_STRIP_SET = frozenset(STRIP)
EXCEL_DIGITS = 15
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d*)?[eE][+-]?\d+")


def number_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)  # Excel cannot store these; a foreign writer might
    text = format(Decimal(format(value, f".{EXCEL_DIGITS}g")), "f")
    return "0" if text == "-0" else text


def cell_text(value: object) -> str:
    """The stripped text of a workbook cell; dates in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip(STRIP)
    if isinstance(value, bool):  # before int: True is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        # Excel stores a time as a fraction of a day; round away the float's microseconds.
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip(STRIP)


def is_blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip(STRIP))


def stored_as_text(value: object) -> bool:
    """Whether a workbook cell holds text (or nothing), not a number, date or boolean."""
    return value is None or isinstance(value, str)


def is_scientific(text: str) -> bool:
    """Whether a CSV cell is a number Excel wrote in scientific notation (4.40305E+17)."""
    return _SCIENTIFIC.fullmatch(text) is not None


def header_key(label: str) -> str:
    """What two headers must share to name the same column.

    NFKC folds full-width letters and brackets (村（社区）代码 = 村(社区)代码), casefold makes
    Latin letters case-free, and every space inside goes too (a header typed as 身份证 号, or
    broken over two lines with Alt+Enter).
    """
    folded = unicodedata.normalize("NFKC", label).casefold()
    return "".join(char for char in folded if char not in _STRIP_SET)
