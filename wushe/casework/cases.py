"""个案 (case work) as a state machine: 接案 → 预估 → 计划 → 介入 → 评估 → 结案.

Each stage asks for what its name says before a case may enter it: an assessment, a plan, at
least one service record before evaluation, an evaluation, and a supervisor's sign-off to close.
The models live in ``models.py``; this module holds the stage rules the services apply.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")  # 接案
    ASSESSMENT = "assessment", _("Assessment")  # 预估
    PLANNING = "planning", _("Planning")  # 计划
    INTERVENTION = "intervention", _("Intervention")  # 介入
    EVALUATION = "evaluation", _("Evaluation")  # 评估
    CLOSED = "closed", pgettext_lazy("case stage", "Closed")  # 结案 (a site's is 已关闭)


ORDER = list(Stage)

# The fields a case must have filled to enter a stage.
REQUIRED = {
    Stage.ASSESSMENT: ("assessment",),
    Stage.PLANNING: ("plan",),
    Stage.INTERVENTION: (),
    Stage.EVALUATION: ("evaluation",),
    Stage.CLOSED: ("closing_summary",),
}


class Method(models.TextChoices):
    FACE_TO_FACE = "face", _("Face to face")  # 面谈
    HOME = "home", _("Home visit")  # 家访
    PHONE = "phone", _("Phone")  # 电话
    ONLINE = "online", _("Online")  # 线上
    ACCOMPANY = "accompany", _("Accompanying")  # 陪同


def next_stage(stage: str) -> Stage | None:
    index = ORDER.index(Stage(stage))
    return ORDER[index + 1] if index + 1 < len(ORDER) else None
