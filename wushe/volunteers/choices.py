"""Choices and fixed numbers of the volunteers app (志愿者).

The two encodings other apps rely on (the matching solver reads both):

- **Skills** are bits of a uint64: each ``Skill`` has a stable ``bit`` from 0 to 63, given once
  when the skill is created and never reused, even after the skill is retired.
- **Weekly availability** is a 21-bit integer: bit ``day * 3 + part``, Monday = day 0 … Sunday =
  day 6, part 0 = morning (上午), 1 = afternoon (下午), 2 = evening (晚上). 0 is "no time given".
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

SKILL_BITS = 64  # the solver's skill mask is a uint64
DAYS = 7
PARTS = 3
SLOTS = DAYS * PARTS  # 21
ALL_WEEK = (1 << SLOTS) - 1

DAY_NAMES = (
    _("Mon"),  # 周一
    _("Tue"),  # 周二
    _("Wed"),  # 周三
    _("Thu"),  # 周四
    _("Fri"),  # 周五
    _("Sat"),  # 周六
    _("Sun"),  # 周日
)
PART_NAMES = (_("Morning"), _("Afternoon"), _("Evening"))  # 上午 下午 晚上

MAX_CAPACITY = 7  # tasks a week
MAX_WEEK_HOURS = 84  # hours a week offered: twelve hours a day is already a lot
DEFAULT_CAPACITY = 2
MAX_RADIUS_KM = 100
DEFAULT_RADIUS_KM = Decimal(3)

# Coordinates are accepted only roughly inside China: a swapped latitude and longitude, or a
# point in the sea off Africa (0, 0), is a typing mistake.
LATITUDE_RANGE = (Decimal(3), Decimal(54))
LONGITUDE_RANGE = (Decimal(73), Decimal(136))

# Hours of one entry: more than a year of days is a typing mistake.
MAX_HOURS = Decimal("9999.99")
MAX_POINTS = 10_000_000


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")  # 在册
    SUSPENDED = "suspended", _("Suspended")  # 暂停
    LEFT = "left", _("Left")  # 退出


class Tier(models.TextChoices):
    """任务等级: the difficulty, specialism or risk of a service, which sets its coefficient."""

    BASIC = "basic", _("Basic")  # 基础
    SKILLED = "skilled", _("Skilled")  # 技能
    PROFESSIONAL = "professional", _("Professional")  # 专业
    HIGH_RISK = "high_risk", _("High risk")  # 高风险


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned by service")  # 服务获得
    HONOUR = "honour", _("Honour hours")  # 荣誉时长: hours, no points
    REDEEMED = "redeemed", _("Redeemed")  # 兑换
    CORRECTION = "correction", _("Correction")  # 更正
    EXPIRED = "expired", _("Expired")  # 过期


# Defaults when no region up the tree has set its own rule (积分规则, 星级).
DEFAULT_POINTS_PER_HOUR = 10
DEFAULT_COEFFICIENTS = {
    Tier.BASIC: Decimal("1.0"),
    Tier.SKILLED: Decimal("1.5"),
    Tier.PROFESSIONAL: Decimal("2.0"),
    Tier.HIGH_RISK: Decimal("2.5"),
}
DEFAULT_CAP = 80  # points per activity or service
DEFAULT_EXPIRY_MONTHS = 24  # 0: points never expire
DEFAULT_STAR_HOURS = (100, 300, 600, 1000, 1500)  # cumulative hours for 1 to 5 stars
STARS = 5

# The shared skills taxonomy as first seeded (stable English codes; names editable later).
SEED_SKILLS = (
    ("visiting", "陪伴探访"),
    ("meals", "助餐送餐"),
    ("medical_escort", "助医"),
    ("shopping", "代购"),
    ("counselling", "心理疏导"),
    ("legal", "法律咨询"),
    ("tutoring", "课业辅导"),
    ("digital", "智能设备教学"),
    ("anti_fraud", "防骗反诈宣传"),
    ("repairs", "维修"),
    ("cleaning", "清洁"),
    ("other", "其他"),
)
