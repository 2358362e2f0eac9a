from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a data element's values come from."""

    RECORDS = "records", _("From the records")  # 来自业务记录: computed by a registered function
    ENTERED = "entered", _("Entered per year")  # 填报: entered or imported per region and year


class PeriodKind(models.TextChoices):
    """How a data element behaves over a period (时点数 / 时期数)."""

    # The number at the period's end (operating stations, townships, filed residents, entered
    # yearly figures such as 常住人口).
    STOCK = "stock", _("Stock at the period's end")  # 时点数
    # Summed over the period's months (home visits, cases opened, person-times).
    FLOW = "flow", _("Flow over the period")  # 时期数


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")  # 越高越好
    LOWER = "lower", _("Lower is better")  # 越低越好


class Status(models.TextChoices):
    """Attainment of a target (目标完成情况); see ``attainment`` for the rules."""

    MET = "met", _("Met")  # 已达标
    ON_TRACK = "on_track", _("On track")  # 按进度
    BEHIND = "behind", _("Behind")  # 滞后
    NO_DATA = "no_data", _("No data")  # 无数据
    NO_TARGET = "no_target", _("No target")  # 未设目标


# Factors a formula commonly uses, for the forms' hints (any positive number is allowed).
FACTORS = {
    1: _("plain total or ratio"),
    100: _("per cent (%)"),
    1000: _("per 1,000"),
    10000: _("per 10,000"),
}

# Roles that may enter or import yearly figures (填报); reading is open to every staff role.
ENTERING_ROLES = ("admin", "manager")
