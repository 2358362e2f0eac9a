from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")  # 男
    FEMALE = "female", _("Female")  # 女


class Category(models.TextChoices):
    """困难类别. 高龄 is not stored: it is computed from the birth date (age ≥ 80)."""

    SUBSISTENCE = "dibao", _("Minimum subsistence (低保)")  # 低保
    NEAR_SUBSISTENCE = "dibian", _("Near-subsistence (低边)")  # 低边
    EXTREME_POVERTY = "tekun", _("Extreme poverty support (特困)")  # 特困
    LIVING_ALONE = "alone", _("Elderly living alone (独居老人)")  # 独居老人
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly (空巢老人)")  # 空巢老人
    LEFT_BEHIND_CHILD = "left_behind", _("Left-behind child (留守儿童)")  # 留守儿童
    CHILD_IN_DIFFICULTY = "child_difficulty", _("Child in difficulty (困境儿童)")  # 困境儿童
    ORPHAN = "orphan", _("Orphan (孤儿)")  # 孤儿
    DISABLED = "disabled", _("Person with disability (残疾人)")  # 残疾人
    VAGRANT = "vagrant", _("Vagrant or beggar (流浪乞讨)")  # 流浪乞讨
    COMMUNITY_CORRECTION = "correction", _("Community correction (社区矫正)")  # 社区矫正
    OTHER = "other", _("Other (其他)")  # 其他


# Chinese names as residents' files and import sheets write them.
CATEGORY_BY_CHINESE = {
    "低保": Category.SUBSISTENCE,
    "低边": Category.NEAR_SUBSISTENCE,
    "特困": Category.EXTREME_POVERTY,
    "独居老人": Category.LIVING_ALONE,
    "独居": Category.LIVING_ALONE,
    "空巢老人": Category.EMPTY_NEST,
    "空巢": Category.EMPTY_NEST,
    "留守儿童": Category.LEFT_BEHIND_CHILD,
    "困境儿童": Category.CHILD_IN_DIFFICULTY,
    "孤儿": Category.ORPHAN,
    "残疾人": Category.DISABLED,
    "残疾": Category.DISABLED,
    "流浪乞讨": Category.VAGRANT,
    "社区矫正": Category.COMMUNITY_CORRECTION,
    "其他": Category.OTHER,
}

ELDERLY_AGE = 80  # 高龄
CONSENT_AGE = 14  # under 14 the guardian consents (PIPL art. 31)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")  # 低
    MEDIUM = "medium", _("Medium")  # 中
    HIGH = "high", _("High")  # 高


class Relation(models.TextChoices):
    """与户主关系."""

    HEAD = "head", _("Head of household")  # 户主
    SPOUSE = "spouse", _("Spouse")  # 配偶
    CHILD = "child", _("Child")  # 子女
    PARENT = "parent", _("Parent")  # 父母
    GRANDCHILD = "grandchild", _("Grandchild")  # 孙子女
    GRANDPARENT = "grandparent", _("Grandparent")  # 祖父母
    SIBLING = "sibling", _("Sibling")  # 兄弟姐妹
    OTHER = "other", _("Other relative")  # 其他


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The resident")  # 本人
    GUARDIAN = "guardian", _("Guardian")  # 监护人


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")  # 书面签字
    ORAL = "oral", _("Oral, witnessed")  # 口头（有见证）
    ELECTRONIC = "electronic", _("Electronic")  # 电子确认
