"""Rules set per region and inherited down the tree (the nearest rule up the tree wins, else
the defaults in ``choices``): points (积分规则) and stars (星级)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.volunteers.choices import (
    DEFAULT_CAP,
    DEFAULT_COEFFICIENTS,
    DEFAULT_EXPIRY_MONTHS,
    DEFAULT_POINTS_PER_HOUR,
    DEFAULT_STAR_HOURS,
    Tier,
)

MAX_COEFFICIENT = Decimal("10")


def _region() -> models.OneToOneField:
    return models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )


def _coefficient(label, tier: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        default=DEFAULT_COEFFICIENTS[tier],
        validators=[MinValueValidator(0), MaxValueValidator(MAX_COEFFICIENT)],
    )


class PointsRule(models.Model):
    """积分规则 of a region: points per hour of service, times the coefficient of the task's
    tier, at most ``cap`` points for one activity or service; points expire ``expiry_months``
    after they were earned (0: never)."""

    region = _region()
    points_per_hour = models.PositiveSmallIntegerField(
        _("points per hour"),
        default=DEFAULT_POINTS_PER_HOUR,
        validators=[MaxValueValidator(1000)],
    )
    coefficient_basic = _coefficient(_("coefficient: basic"), Tier.BASIC)
    coefficient_skilled = _coefficient(_("coefficient: skilled"), Tier.SKILLED)
    coefficient_professional = _coefficient(_("coefficient: professional"), Tier.PROFESSIONAL)
    coefficient_high_risk = _coefficient(_("coefficient: high risk"), Tier.HIGH_RISK)
    cap = models.PositiveIntegerField(
        _("cap per activity or service"),
        default=DEFAULT_CAP,
        validators=[MaxValueValidator(100_000)],
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("points expire after (months)"),
        default=DEFAULT_EXPIRY_MONTHS,
        validators=[MaxValueValidator(600)],
        help_text=_("0: points never expire."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("points rule")  # 积分规则
        verbose_name_plural = _("points rules")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.points_per_hour}/h"

    def coefficient(self, tier: str) -> Decimal:
        return getattr(self, f"coefficient_{tier}")


class StarRule(models.Model):
    """星级: the cumulative hours that make a volunteer one to five stars in a region."""

    region = _region()
    star1 = models.PositiveIntegerField(_("1 star (hours)"), default=DEFAULT_STAR_HOURS[0])
    star2 = models.PositiveIntegerField(_("2 stars (hours)"), default=DEFAULT_STAR_HOURS[1])
    star3 = models.PositiveIntegerField(_("3 stars (hours)"), default=DEFAULT_STAR_HOURS[2])
    star4 = models.PositiveIntegerField(_("4 stars (hours)"), default=DEFAULT_STAR_HOURS[3])
    star5 = models.PositiveIntegerField(_("5 stars (hours)"), default=DEFAULT_STAR_HOURS[4])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("star thresholds")  # 星级标准
        verbose_name_plural = _("star thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(star1__gt=0)
                & Q(star2__gt=F("star1"))
                & Q(star3__gt=F("star2"))
                & Q(star4__gt=F("star3"))
                & Q(star5__gt=F("star4")),
                name="star_thresholds_rise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.thresholds}"

    @property
    def thresholds(self) -> tuple[int, ...]:
        return (self.star1, self.star2, self.star3, self.star4, self.star5)
