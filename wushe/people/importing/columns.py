"""The import sheet's columns and how their Chinese values are read.

Headers are matched by name (any order, spaces and full-width brackets ignored, aliases below).
Values are read the way a station writes them: 男/女, 困难类别 by their Chinese names joined by
、 , ， ; or ；, 残疾等级 as 1–4 or 一级–四级, 风险等级 as 低/中/高.
"""

from __future__ import annotations

import re

from wushe.core.tabular import Column
from wushe.people.choices import CATEGORY_BY_CHINESE, Category, Gender, RiskLevel
from wushe.people.identity import FULL_WIDTH_TO_ASCII

NAME = "姓名"
GENDER = "性别"
ID_NUMBER = "身份证号"
PHONE = "联系电话"
VILLAGE = "村(社区)代码"
ADDRESS = "住址"
CATEGORIES = "困难类别"
NOTES = "备注"
DISABILITY_GRADE = "残疾等级"
RISK_LEVEL = "风险等级"
GUARDIAN = "监护人/紧急联系人"
GUARDIAN_PHONE = "监护人电话"

COLUMNS = (
    Column(NAME),
    Column(GENDER),
    Column(ID_NUMBER, aliases=("身份证号码", "公民身份号码", "身份证"), text_only=True),
    Column(PHONE, aliases=("电话", "手机", "手机号", "手机号码", "联系方式")),
    Column(VILLAGE, aliases=("社区代码", "村代码", "村(居)代码", "村(社区)编码")),
    Column(ADDRESS, aliases=("地址", "家庭住址", "现住址")),
    Column(CATEGORIES, aliases=("类别", "人员类别")),
    Column(NOTES, aliases=("备注说明",)),
    Column(DISABILITY_GRADE, required=False, aliases=("残疾级别",)),
    Column(RISK_LEVEL, required=False),
    Column(GUARDIAN, required=False, aliases=("监护人", "紧急联系人")),
    Column(
        GUARDIAN_PHONE,
        required=False,
        aliases=("紧急联系人电话", "监护人联系电话", "监护人/紧急联系人电话"),
    ),
)

# Values are plain str, not the choices' enum members: rows are spooled with marshal.
# Model field limits (Resident): the import refuses what full_clean() would refuse.
MAX_LENGTHS = {NAME: 50, ADDRESS: 200, GUARDIAN: 50}

GENDERS = {
    "男": Gender.MALE.value,
    "男性": Gender.MALE.value,
    "m": Gender.MALE.value,
    "male": Gender.MALE.value,
    "女": Gender.FEMALE.value,
    "女性": Gender.FEMALE.value,
    "f": Gender.FEMALE.value,
    "female": Gender.FEMALE.value,
}
GENDER_WORDS = {Gender.MALE.value: ("男", "male"), Gender.FEMALE.value: ("女", "female")}

RISK_LEVELS = {
    "低": RiskLevel.LOW.value,
    "低风险": RiskLevel.LOW.value,
    "low": RiskLevel.LOW.value,
    "中": RiskLevel.MEDIUM.value,
    "中风险": RiskLevel.MEDIUM.value,
    "medium": RiskLevel.MEDIUM.value,
    "高": RiskLevel.HIGH.value,
    "高风险": RiskLevel.HIGH.value,
    "high": RiskLevel.HIGH.value,
}

# 高龄 is computed from the birth date (age ≥ 80), never stored: the sheet may say it.
ELDERLY = "高龄"
CATEGORY_SEPARATORS = re.compile(r"[、,，;；]")
KNOWN_CATEGORIES = "、".join([*CATEGORY_BY_CHINESE, ELDERLY])
# Categories travel through the import as a bit mask (one small int per row, not a set).
CATEGORY_BITS = {value: 1 << index for index, value in enumerate(Category.values)}

_GRADES = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def gender_of(text: str) -> str | None:
    """Gender.MALE / FEMALE, "" for a blank cell, None for anything else."""
    if not text:
        return ""
    gender = GENDERS.get(text)  # as nearly every cell writes it: no case to fold
    return gender if gender is not None else GENDERS.get(text.casefold())


def categories_of(text: str) -> tuple[int, bool, list[str]]:
    """(bit mask of the categories, whether 高龄 was written, the names not recognised)."""
    mask, elderly, unknown = 0, False, []
    for part in CATEGORY_SEPARATORS.split(text):
        name = part.strip()
        if not name:
            continue
        category = CATEGORY_BY_CHINESE.get(name)
        if category is not None:
            mask |= CATEGORY_BITS[category]
        elif name == ELDERLY:
            elderly = True
        else:
            unknown.append(name)
    return mask, elderly, unknown


def categories_in(mask: int) -> list[str]:
    return [value for value, bit in CATEGORY_BITS.items() if mask & bit]


def grade_of(text: str) -> int | None:
    """1–4 from "2", "２", "2级", "二", "二级"; None when unreadable."""
    value = text.translate(FULL_WIDTH_TO_ASCII).removesuffix("级").strip()
    return _GRADES.get(value)


def risk_of(text: str) -> str | None:
    return RISK_LEVELS.get(text.casefold())
