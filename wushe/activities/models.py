from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.core.service_areas import ServiceArea

MAX_HEAD_COUNT = 100_000
MAX_VOLUNTEERS = 10_000


class Activity(models.Model):
    """社区活动: a community activity run by a station or room, held on one day in one place.

    ``region_code`` is where it was held: the station's own township or one of its villages
    (the scope column). People served are the named ``participants`` (filed residents) plus
    ``anonymous_count``, the head count of people not filed; the two together are the
    activity's person-times (服务人次). Counted by ``held_on`` (社区活动场次).
    """

    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)  # 地点
    theme = models.CharField(_("theme"), max_length=200)  # 主题
    service_area = models.CharField(_("service area"), max_length=20, choices=ServiceArea.choices)
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("station or room"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    region_code = models.CharField(_("region where held"), max_length=12)
    participants = models.ManyToManyField(
        "people.Resident",
        verbose_name=_("participants"),
        blank=True,
        related_name="activities",
        through="Participation",
    )
    # Larger numbers than these are typing mistakes (an extra zero), not one activity.
    anonymous_count = models.PositiveIntegerField(
        _("people not filed (head count)"),
        default=0,
        validators=[MaxValueValidator(MAX_HEAD_COUNT)],
    )
    # Volunteers are names typed in for now: the volunteer registry (志愿者, one of the 五社)
    # comes with a later issue, and will then link the people these names stand for.
    volunteer_names = models.JSONField(_("volunteers"), default=list, blank=True)
    volunteer_count = models.PositiveIntegerField(
        _("number of volunteers"), default=0, validators=[MaxValueValidator(MAX_VOLUNTEERS)]
    )
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(5000)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("community activity")  # 社区活动
        verbose_name_plural = _("community activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["region_code", "held_on"], name="activity_region_date")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.theme}"


class Participation(models.Model):
    """参与记录: a filed resident who took part in an activity (one person-time).

    A resident who took part cannot be deleted from under the record (PROTECT): the activity's
    person-times in the statistics would then silently disagree with it. Read only through its
    activity, whose ``region_code`` scopes it.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("participation")  # 参与记录
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["activity", "resident"], name="participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.resident_id}"
