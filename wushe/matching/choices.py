"""Choices of the three lists (三清单) and of matching (供需对接)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.matching import solver


class Urgency(models.IntegerChoices):
    """紧急程度. The numbers are the solver's (``solver.URGENT`` …): smaller is served first."""

    URGENT = solver.URGENT, pgettext_lazy("urgency", "Urgent")  # 紧急
    NORMAL = solver.NORMAL, pgettext_lazy("urgency", "Normal")  # 一般
    LONG_TERM = solver.LONG_TERM, pgettext_lazy("urgency", "Long-term")  # 长期


class NeedSource(models.TextChoices):
    """Where a need was found (需求来源)."""

    VISIT = "visit", pgettext_lazy("need source", "Home visit")  # 入户走访
    CASE = "case", pgettext_lazy("need source", "Case")  # 个案
    ACTIVITY = "activity", pgettext_lazy("need source", "Activity")  # 社区活动
    REQUEST = "request", pgettext_lazy("need source", "Resident's request")  # 群众申请


class NeedStatus(models.TextChoices):
    """A need's state (see ``need_services.TRANSITIONS`` for the moves allowed)."""

    OPEN = "open", pgettext_lazy("need status", "Open")  # 待对接
    MATCHED = "matched", pgettext_lazy("need status", "Matched")  # 已对接
    IN_SERVICE = "in_service", pgettext_lazy("need status", "In service")  # 服务中
    DONE = "done", pgettext_lazy("need status", "Done")  # 已完成
    CANCELLED = "cancelled", pgettext_lazy("need status", "Cancelled")  # 已取消


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project status", "Planned")  # 筹备中
    RUNNING = "running", pgettext_lazy("project status", "Running")  # 实施中
    CLOSED = "closed", pgettext_lazy("project status", "Closed")  # 已结项


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("proposal status", "Proposed")  # 待确认
    ACCEPTED = "accepted", pgettext_lazy("proposal status", "Accepted")  # 已采纳
    REJECTED = "rejected", pgettext_lazy("proposal status", "Rejected")  # 已否决


class TaskStatus(models.TextChoices):
    """A task given to a volunteer (or an organisation) for one need."""

    OFFERED = "offered", pgettext_lazy("task status", "Offered")  # 待志愿者确认
    ACCEPTED = "accepted", pgettext_lazy("task status", "Accepted")  # 已接受
    DECLINED = "declined", pgettext_lazy("task status", "Declined")  # 已谢绝
    DONE = "done", pgettext_lazy("task status", "Done")  # 已完成
    CANCELLED = (
        "cancelled",
        pgettext_lazy("task status", "Cancelled"),
    )  # 已取消 (the need was cancelled)


# Tasks that hold a slot of the supplier's week (see ``supply.loads``).
OPEN_TASKS = (TaskStatus.OFFERED, TaskStatus.ACCEPTED)


class UnmetReason(models.TextChoices):
    """Why a run left a need unmet: the first constraint that failed, so the station knows
    what to recruit. The first four are the solver's (``solver.REASONS``); the last two are
    decided before the solver sees the need."""

    NO_CANDIDATE_SKILL = (
        solver.NO_CANDIDATE_SKILL,
        _("Nobody has the skills"),
    )  # 无人具备该技能
    NO_SKILL_NEARBY = (
        solver.NO_SKILL_NEARBY,
        _("No one with the skills nearby"),
    )  # 附近无具备该技能者
    NO_TIME = solver.NO_TIME, _("No one free at that time")  # 时间不匹配
    NO_CAPACITY = (
        solver.NO_CAPACITY,
        _("Everyone suitable is fully booked"),
    )  # 合适者本周已满
    DECLINED = "declined", _("Everyone suitable has declined it")  # 合适者均已谢绝
    NO_LOCATION = "no_location", _("The place has no known position")  # 位置未知


class SupplierKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")  # 志愿者
    ORGANISATION = "organisation", _("Organisation")  # 社会组织
