"""The 12-digit statistical division code (统计用区划代码) and the subtree it spans.

A region's subtree is every code that starts with the region's prefix: 2 digits for a province,
4 for a city, 6 for a county, 9 for a township, 12 for a village, none for the country. Because
codes are fixed-width digit strings, a prefix is the same as the closed range
``prefix000… .. prefix999…``, which every database answers from a plain B-tree index. All subtree
questions in wushe go through :func:`subtree_range`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_LENGTH = 12
ROOT_CODE = "0" * CODE_LENGTH


class Level(models.IntegerChoices):
    COUNTRY = 0, _("Country")  # 全国
    PROVINCE = 1, _("Province")  # 省
    CITY = 2, _("City")  # 市
    COUNTY = 3, _("County")  # 县(区)
    TOWNSHIP = 4, _("Township")  # 乡镇(街道)
    VILLAGE = 5, _("Village")  # 村(社区)


PREFIX_LENGTH = {
    Level.COUNTRY: 0,
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
_SHORT_LENGTHS = {2, 4, 6, 9, 12}


def normalize_code(raw: object) -> str:
    """Turn a 2/4/6/9/12-digit code into the stored 12-digit form, or raise ValidationError."""
    code = str(raw if raw is not None else "").strip()
    if not code.isascii() or not code.isdigit() or len(code) not in _SHORT_LENGTHS:
        raise ValidationError(
            _("“%(code)s” is not a division code: expected 2, 4, 6, 9 or 12 digits."),
            code="bad_region_code",
            params={"code": code[:20]},
        )
    return code.ljust(CODE_LENGTH, "0")


def prefix(code: str, level: int) -> str:
    return code[: PREFIX_LENGTH[Level(level)]]


def subtree_range(code: str, level: int) -> tuple[str, str]:
    """The inclusive code range holding a region and everything under it."""
    head = prefix(code, level)
    return head.ljust(CODE_LENGTH, "0"), head.ljust(CODE_LENGTH, "9")


def in_subtree(code: str, root_code: str, root_level: int) -> bool:
    return code.startswith(prefix(root_code, root_level))


def lineage(code: str) -> list[str]:
    """A code and every node above it, nearest first, each once: its padded 12/9/6/4/2/0-digit
    prefixes (a township's 9- and 12-digit forms are one node, and so are 东莞's city and
    county forms). Needs no level, so it serves codes read straight from a table."""
    nodes: list[str] = []
    for length in (12, 9, 6, 4, 2, 0):
        node = code[:length].ljust(CODE_LENGTH, "0")
        if node not in nodes:
            nodes.append(node)
    return nodes


def ancestor_codes(code: str, level: int) -> list[str]:
    """Codes of the ancestors of a region, root first (some may not exist, see loader)."""
    result = [ROOT_CODE]
    for lvl in (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP):
        if lvl >= level:
            break
        candidate = prefix(code, lvl).ljust(CODE_LENGTH, "0")
        if candidate != result[-1]:
            result.append(candidate)
    return result
