"""服务领域: the fields of work a station serves in.

Shared by groups and activities now, and later by needs, projects and organisations, so that
a station's work can be counted by field the same way everywhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceArea(models.TextChoices):
    ELDERLY = "elderly", _("Elderly care")  # 为老服务
    CHILDREN = "children", _("Child care")  # 儿童关爱
    YOUTH = "youth", _("Youth")  # 青少年
    DISABILITY = "disability", _("Disability and rehabilitation")  # 残障康复
    ASSISTANCE = "assistance", _("Social assistance")  # 社会救助
    FAMILY = "family", _("Family and marriage")  # 家庭婚姻
    CORRECTIONS = "corrections", _("Community corrections and drug control")  # 社区矫正/禁毒
    MENTAL_HEALTH = "mental_health", _("Mental health")  # 心理健康
    EMPLOYMENT = "employment", _("Employment support")  # 就业帮扶
    COMMUNITY = "community", _("Community governance and building")  # 社区治理/社区营造
    EMERGENCY = "emergency", _("Emergency and disaster relief")  # 应急救灾
    OTHER = "other", _("Other")  # 其他
