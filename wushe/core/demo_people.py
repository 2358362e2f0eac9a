"""The demo's residents at 南山区's published scale: about 3,000 filed residents in its 108
communities, written through the residents import (so they are checked, encrypted, hashed and
audited as any station's import would be).

The people are invented by a seeded generator: every run makes the same sheet, and importing it
again changes nothing, so ``wushe demo`` stays idempotent. Their ID numbers are well-formed
(GB 11643 check digit) but carry the 南山区 prefix and invented dates and sequence numbers.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from wushe.accounts.models import User
from wushe.people.identity import make_id_number
from wushe.people.importing.service import ImportResult, import_residents
from wushe.regions.codes import Level
from wushe.regions.models import Region

RESIDENTS = 3_000
SEED = 20_260_501
# Ages are counted back from a fixed day, not today: the sheet (and so each person's ID number)
# must be the same on every run for a second ``wushe demo`` to change nothing.
BORN_BEFORE = date(2026, 1, 1)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文红建国志海燕秋凤春梅淑珍荣"

# Who the stations file, as (categories, youngest, oldest age, weight): older people with
# subsistence or living alone dominate the registers; children and others are fewer.
PROFILES = [
    ("低保", 18, 75, 14),
    ("低保、独居老人", 65, 95, 10),
    ("特困", 60, 95, 6),
    ("低边", 20, 80, 8),
    ("独居老人", 65, 96, 14),
    ("空巢老人", 60, 90, 14),
    ("空巢老人、残疾人", 60, 88, 4),
    ("留守儿童", 4, 15, 8),
    ("困境儿童", 3, 16, 5),
    ("孤儿", 3, 17, 1),
    ("残疾人", 18, 70, 9),
    ("低保、残疾人", 18, 70, 4),
    ("社区矫正", 20, 60, 2),
    ("流浪乞讨", 25, 70, 1),
]
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


@dataclass(frozen=True)
class DemoPerson:
    name: str
    id_number: str
    village: str
    categories: str


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


MOBILE_PREFIXES = ["130", "133", "135", "136", "138", "139", "150", "158", "186", "189"]


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _address(village: Region, rng: random.Random) -> str:
    building, floor, door = rng.randrange(1, 40), rng.randrange(1, 30), rng.randrange(1, 6)
    return f"{village.name}{building}栋{floor}0{door}"


def sheet_rows(villages: list[Region], count: int = RESIDENTS) -> list[list[str]]:
    """The demo's import sheet (without the header): the same rows on every run."""
    rng = random.Random(SEED)
    weights = [profile[3] for profile in PROFILES]
    used: set[str] = set()
    rows = []
    while len(rows) < count:
        categories, youngest, oldest, _weight = rng.choices(PROFILES, weights)[0]
        age_days = rng.randrange(youngest * 365 + 30, oldest * 365 + 300)
        born = BORN_BEFORE - timedelta(days=age_days)
        sequence = rng.randrange(1000)
        number = make_id_number("440305", born, sequence)
        if number in used:
            continue
        used.add(number)
        village = rng.choice(villages)
        child = oldest < 18
        guardian = _name(rng) if child or rng.random() < 0.4 else ""
        disabled = "残疾人" in categories
        rows.append(
            [
                _name(rng),
                "男" if sequence % 2 else "女",
                number,
                "" if child else _phone(rng),
                village.code,
                _address(village, rng),
                categories,
                rng.choice(["", "", "需定期走访", "行动不便", "子女在外地"]),
                str(rng.randrange(1, 5)) if disabled else "",
                rng.choices(["低", "中", "高"], [6, 3, 1])[0],
                guardian,
                _phone(rng) if guardian else "",
            ]
        )
    return rows


def file_residents(*, actor: User, county: Region) -> ImportResult:
    """Import the demo sheet as ``actor`` (the county administrator)."""
    villages = list(
        Region.objects.filter(level=Level.VILLAGE, code__startswith=county.code[:6]).order_by(
            "code"
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(sheet_rows(villages))
    source = io.BytesIO(buffer.getvalue().encode("utf-8"))
    return import_residents(actor=actor, source=source, file_name="南山区困难群众名册（演示）.csv")
