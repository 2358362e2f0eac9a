"""The yearly-figures import's error codes, each in Chinese and English (``core.tabular``)."""

from __future__ import annotations

from wushe.core.tabular import Problem

REGION_MISSING = Problem("region_missing", "区划代码不能为空。", "The region code is missing.")
REGION_UNKNOWN = Problem(
    "region_unknown",
    "没有代码为“{code}”的区划：请填写 2、4、6、9 或 12 位统计用区划代码。",
    "No region has the code “{code}”: enter a 2, 4, 6, 9 or 12-digit division code.",
)
REGION_OUTSIDE = Problem(
    "region_outside",
    "区划 {code} 不在您的管辖范围（{region}）内。",
    "Region {code} is outside your region ({region}).",
)
YEAR_INVALID = Problem(
    "year_invalid",
    "年份“{value}”无效：请填写四位年份，如 2025。",
    "The year “{value}” is not valid: enter a four-digit year such as 2025.",
)
ELEMENT_MISSING = Problem("element_missing", "数据元不能为空。", "The data element is missing.")
ELEMENT_UNKNOWN = Problem(
    "element_unknown",
    "没有名为“{name}”的填报数据元：请填写数据元代码或名称（见“指标”中的数据元列表）。",
    "There is no entered data element “{name}”: write its code or name (see the list of data "
    "elements under Indicators).",
)
ELEMENT_FROM_RECORDS = Problem(
    "element_from_records",
    "“{name}”由业务记录自动统计，不能填报。",
    "“{name}” is counted from the records and cannot be entered.",
)
VALUE_MISSING = Problem("value_missing", "数值不能为空。", "The value is missing.")
VALUE_NOT_NUMBER = Problem(
    "value_not_number", "数值“{value}”不是数字。", "The value “{value}” is not a number."
)
VALUE_NEGATIVE = Problem(
    "value_negative", "数值不能为负数（“{value}”）。", "The value cannot be negative (“{value}”)."
)
VALUE_TOO_LARGE = Problem(
    "value_too_large", "数值“{value}”过大。", "The value “{value}” is too large."
)
VALUE_DECIMALS = Problem(
    "value_decimals",
    "数值“{value}”最多保留两位小数。",
    "The value “{value}” has more than two decimal places.",
)
DUPLICATE_ROW = Problem(
    "duplicate_row",
    "与第 {first} 行的区划、年份和数据元相同：每项数值只能填写一次。",
    "The same region, year and data element as row {first}: each figure appears only once.",
)
NOTE_TOO_LONG = Problem(
    "note_too_long",
    "来源说明最多 {limit} 个字，这里有 {length} 个。",
    "The source note takes at most {limit} characters; this one has {length}.",
)

# ``entries.parse_value``'s error codes → the problem reported for the cell.
VALUE_PROBLEMS = {
    "not_number": VALUE_NOT_NUMBER,
    "negative": VALUE_NEGATIVE,
    "too_large": VALUE_TOO_LARGE,
    "too_many_decimals": VALUE_DECIMALS,
}

IMPORT_PROBLEMS = (
    REGION_MISSING,
    REGION_UNKNOWN,
    REGION_OUTSIDE,
    YEAR_INVALID,
    ELEMENT_MISSING,
    ELEMENT_UNKNOWN,
    ELEMENT_FROM_RECORDS,
    VALUE_MISSING,
    VALUE_NOT_NUMBER,
    VALUE_NEGATIVE,
    VALUE_TOO_LARGE,
    VALUE_DECIMALS,
    DUPLICATE_ROW,
    NOTE_TOO_LONG,
)
