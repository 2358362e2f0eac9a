"""The residents import's own error codes, and the ID and phone ones in the report's two languages.

Each error of the report carries Chinese and English explicitly (see ``core.tabular.problems``).
The ID-number and phone codes are those of ``identity.ID_ERRORS`` and ``phones.PHONE_ERRORS``,
so a row is refused for the same reason, in the same words, as the filing form refuses it. All
codes are listed in docs/import-codes.md.
"""

from __future__ import annotations

import functools

from django.utils import translation

from wushe.core.tabular import Problem
from wushe.people.identity import ID_ERRORS
from wushe.people.phones import PHONE_ERRORS

NAME_MISSING = Problem("name_missing", "姓名不能为空。", "The name is missing.")
TOO_LONG = Problem(
    "too_long",
    "“{column}”最多 {limit} 个字，这里有 {length} 个。",
    "“{column}” takes at most {limit} characters; this one has {length}.",
)
BAD_CHARACTER = Problem(
    "bad_character",
    "“{column}”中有一个空字符（NUL），请删除后再导入。",
    "“{column}” contains a NUL character: delete it and import again.",
)
GENDER_UNKNOWN = Problem(
    "gender_unknown",
    "性别应填“男”或“女”（也可留空，按身份证号确定）。",
    "The gender must be 男 or 女 (or blank: the ID number decides).",
)
GENDER_MISMATCH = Problem(
    "gender_mismatch",
    "性别与身份证号不符：按身份证号应为“{expected_zh}”。",
    "The gender does not match the ID number, which says {expected_en}.",
)
ID_DUPLICATE_IN_FILE = Problem(
    "id_duplicate_in_file",
    "身份证号与第 {first} 行相同：同一人在一个文件中只能出现一次。",
    "The same ID number as row {first}: a person appears only once in a file.",
)
FILED_ELSEWHERE = Problem(
    "filed_elsewhere",
    "此人已由其他社工站建档，不能在此导入；可申请将档案转入本站。",
    "This person is already filed by another station and cannot be imported here; you can ask "
    "for the file to be transferred to you.",
)
VILLAGE_MISSING = Problem(
    "village_missing",
    "村(社区)代码不能为空。",
    "The village (community) code is missing.",
)
VILLAGE_UNKNOWN = Problem(
    "village_unknown",
    "没有代码为“{code}”的村(社区)：请填写 12 位统计用区划代码。",
    "No village or community has the code “{code}”: enter its 12-digit statistical division code.",
)
VILLAGE_LEVEL = Problem(
    "village_level",
    "{code}（{name}）不是村(社区)：请填写村(社区)的 12 位代码。",
    "{code} ({name}) is not a village or community: enter the 12-digit code of one.",
)
VILLAGE_OUTSIDE = Problem(
    "village_outside",
    "村(社区) {code} 不在您的管辖范围（{region}）内。",
    "Village {code} is outside your region ({region}).",
)
VILLAGE_OUTSIDE_STATION = Problem(
    "village_outside_station",
    "村(社区) {code} 不在所选站点（{station}）的服务范围内。",
    "Village {code} is outside the area of the chosen station ({station}).",
)
CATEGORY_UNKNOWN = Problem(
    "category_unknown",
    "未知的困难类别：{names}。可填：{known}。",
    "Unknown category: {names}. Known categories: {known}.",
)
ELDERLY_AGE = Problem(
    "elderly_age",
    "“高龄”按出生日期自动计算（年满 80 岁）：此人未满 80 岁，请删去“高龄”。",
    "“高龄” (elderly) is computed from the birth date (80 or older): this person is younger, "
    "so remove it.",
)
DISABILITY_GRADE_INVALID = Problem(
    "disability_grade_invalid",
    "残疾等级应为 1–4 级（如“2”或“二级”）。",
    "The disability grade must be 1 to 4 (such as 2 or 二级).",
)
DISABILITY_GRADE_MISSING = Problem(
    "disability_grade_missing",
    "困难类别含“残疾人”，需填写残疾等级（1–4 级）。",
    "A person with disability (残疾人) needs a disability grade from 1 to 4.",
)
DISABILITY_GRADE_UNEXPECTED = Problem(
    "disability_grade_unexpected",
    "只有困难类别含“残疾人”时才填写残疾等级。",
    "Only a person with disability (残疾人 among the categories) has a disability grade.",
)
RISK_UNKNOWN = Problem(
    "risk_unknown",
    "风险等级应填“低”“中”或“高”。",
    "The risk level must be 低, 中 or 高 (low, medium or high).",
)
IMPORT_CONFLICT = Problem(
    "import_conflict",
    "导入期间，其中有人被他人建档或修改了档案，未写入任何数据：请重新导入。",
    "Someone filed or changed some of these residents while this file was being imported; "
    "nothing was written: import it again.",
)

IMPORT_PROBLEMS = (
    NAME_MISSING,
    TOO_LONG,
    BAD_CHARACTER,
    GENDER_UNKNOWN,
    GENDER_MISMATCH,
    ID_DUPLICATE_IN_FILE,
    FILED_ELSEWHERE,
    VILLAGE_MISSING,
    VILLAGE_UNKNOWN,
    VILLAGE_LEVEL,
    VILLAGE_OUTSIDE,
    VILLAGE_OUTSIDE_STATION,
    CATEGORY_UNKNOWN,
    ELDERLY_AGE,
    DISABILITY_GRADE_INVALID,
    DISABILITY_GRADE_MISSING,
    DISABILITY_GRADE_UNEXPECTED,
    RISK_UNKNOWN,
    IMPORT_CONFLICT,
)


@functools.cache
def identifier_problem(code: str) -> Problem:
    """The ID-number or phone error ``code`` as a Problem, its message in both languages."""
    message = {**ID_ERRORS, **PHONE_ERRORS}[code]
    with translation.override("zh-hans"):
        chinese = str(message)
    with translation.override("en"):
        english = str(message)
    # The messages are plain text: escape braces so Problem.at's formatting leaves them alone.
    return Problem(code, _braces(chinese), _braces(english))


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
