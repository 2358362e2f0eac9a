"""Sheets for the import tests: real .xlsx and .csv files, and the people in them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from conftest import YUEHAI_VILLAGE
from wushe.people.identity import make_id_number

HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "联系电话",
    "村(社区)代码",
    "住址",
    "困难类别",
    "备注",
    "残疾等级",
    "风险等级",
    "监护人/紧急联系人",
    "监护人电话",
]
YUEHAI_VILLAGE_2 = "440305007004"  # 深圳大学社区
SHEKOU_VILLAGE = "440305005001"

ZHANG_ID = make_id_number("440305", date(1940, 5, 6), "013")  # a man of 80+
LI_ID = make_id_number("440305", date(1985, 7, 9), "024")  # a woman
WANG_ID = make_id_number("440305", date(1962, 3, 15), "035")  # a man
ZHANG_PHONE = "13812345678"
LI_PHONE = "13987654321"
WANG_PHONE = "13711112222"


def person(name: str, id_number: str, **cells: str) -> list[str]:
    """A row of HEADERS; cells by header (a missing one is blank)."""
    values = {
        "姓名": name,
        "身份证号": id_number,
        "村(社区)代码": YUEHAI_VILLAGE,
        "住址": "科技园社区 1 栋",
        **cells,
    }
    return [values.get(header, "") for header in HEADERS]


def good_rows() -> list[list[str]]:
    return [
        person(
            "张三丰",
            ZHANG_ID,
            性别="男",
            联系电话=ZHANG_PHONE,
            困难类别="低保、独居老人",
            备注="独居，需每月走访",
        ),
        person(
            "李梅",
            LI_ID,
            联系电话=LI_PHONE,
            困难类别="残疾人，低边",
            残疾等级="二级",
            风险等级="中",
            **{"监护人/紧急联系人": "李强", "监护人电话": "0755-26888888"},
        ),
        person("王建国", WANG_ID, 性别="男", 联系电话=WANG_PHONE, 困难类别="特困"),
    ]


def write_xlsx(path: Path, rows: list[list], headers: list[str] = HEADERS) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(
    path: Path, rows: list[list], headers: list[str] = HEADERS, encoding: str = "utf-8-sig"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path
