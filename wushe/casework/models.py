from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.casework.cases import Method, Stage
from wushe.casework.scoping import FollowsPersonManager
from wushe.core.fields import EncryptedTextField
from wushe.core.models import ScopedManager
from wushe.people.choices import Category

# 特困 monthly, 低保 quarterly, 留守儿童 monthly (the defaults); editable per region.
DEFAULT_VISIT_DAYS = {
    Category.EXTREME_POVERTY: 30,
    Category.SUBSISTENCE: 90,
    Category.LEFT_BEHIND_CHILD: 30,
}


class HomeVisit(models.Model):
    """入户走访: a visit by one or more workers to a resident's home.

    Findings and needs may say things about health or family: they are encrypted at rest like
    a resident's health notes. ``region_code`` is the resident's village at the time of the
    visit (the scope column).
    """

    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("visited on"))
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("workers"), related_name="+"
    )
    findings = EncryptedTextField(_("findings"), blank=True)
    needs_found = EncryptedTextField(_("needs found"), blank=True)
    next_visit_on = models.DateField(_("next visit on"), null=True, blank=True)
    region_code = models.CharField(max_length=12, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "region_code"
    person_field = "resident_id"
    objects = FollowsPersonManager()

    class Meta:
        verbose_name = _("home visit")  # 入户走访
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["region_code", "visited_on"], name="visit_region_date"),
            models.Index(fields=["resident", "visited_on"], name="visit_resident_date"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.visited_on}"


class VisitFrequency(models.Model):
    """走访频次: how often residents of a category must be visited, set for a region and
    inherited by its subtree (the nearest rule up the tree wins; else the default)."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    interval_days = models.PositiveSmallIntegerField(
        _("visit at least every (days)"), validators=[MinValueValidator(1)]
    )

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("visit frequency")  # 走访频次
        verbose_name_plural = _("visit frequencies")
        constraints = [
            models.UniqueConstraint(fields=["region", "category"], name="visit_frequency_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.interval_days}"


class Case(models.Model):
    """个案: case work with one resident, moved through its stages by the case services.

    What the case says about the person (problem, assessment, plan, evaluation, summary) is
    encrypted at rest. ``region_code`` is the resident's village when the case was opened.
    """

    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.INTAKE)
    opened_on = models.DateField(pgettext_lazy("case", "opened on"))  # 接案日期
    problem = EncryptedTextField(_("presenting problem"))
    assessment = EncryptedTextField(_("assessment"), blank=True)
    plan = EncryptedTextField(_("service plan"), blank=True)
    evaluation = EncryptedTextField(_("evaluation"), blank=True)
    closing_summary = EncryptedTextField(_("closing summary"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_code"
    person_field = "resident_id"
    objects = FollowsPersonManager()

    class Meta:
        verbose_name = _("case")  # 个案
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["region_code", "stage"], name="case_region_stage")]

    def __str__(self) -> str:
        return f"{_('case')} {self.pk}"


class CaseRecord(models.Model):
    """个案服务记录: one piece of service given on a case (date, minutes, method, notes)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="records")
    served_on = models.DateField(_("served on"))
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MinValueValidator(1)])
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_code"
    person_field = "case__resident_id"
    objects = FollowsPersonManager()

    class Meta:
        verbose_name = _("case service record")  # 个案服务记录
        verbose_name_plural = _("case service records")
        ordering = ["served_on", "id"]

    def __str__(self) -> str:
        return f"{self.served_on} {self.minutes}"
