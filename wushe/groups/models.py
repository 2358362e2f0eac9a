from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.core.service_areas import ServiceArea
from wushe.groups.choices import MAX_SESSIONS, GroupStatus


class Group(models.Model):
    """小组: group work, a series of sessions (节) with the same members towards one goal.

    ``region_code`` is the region of the station or room that runs the group (the scope
    column); it is repeated on the group's members and sessions so that each is one scoped
    index scan. Group work is counted by ``started_on`` (小组数).
    """

    name = models.CharField(_("group name"), max_length=100)
    goal = models.TextField(_("goal"), validators=[MaxLengthValidator(2000)])  # 目标
    service_area = models.CharField(_("service area"), max_length=20, choices=ServiceArea.choices)
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("station or room"),
        on_delete=models.PROTECT,
        related_name="groups",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("group leader"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(
        _("planned sessions"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.RUNNING
    )
    region_code = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("group")  # 小组
        verbose_name_plural = _("groups")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["region_code", "started_on"], name="group_region_start")]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """小组组员: a resident taking part in a group, from ``joined_on`` until ``left_on``."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="group_memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    region_code = models.CharField(max_length=12, editable=False)  # the group's

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("group member")  # 小组组员
        verbose_name_plural = _("group members")
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "resident"],
                name="group_member_once",
                violation_error_message=_("This resident is already a member of the group."),
            )
        ]

    def __str__(self) -> str:
        return str(self.resident)

    def member_on(self, day) -> bool:
        """Whether the resident belonged to the group on ``day``."""
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


class GroupSession(models.Model):
    """小组活动 (节): one session of a group, with the members present.

    ``number`` is the session's place in the series by date (1..n), kept by the services as
    sessions are recorded, moved or deleted. Counted by ``held_on`` (小组节数); each member
    present is one person-time (服务人次).
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    # Not unique in the database: renumbering after an insert in the middle would collide
    # row by row inside one UPDATE (PostgreSQL checks plain unique indexes per row).
    number = models.PositiveSmallIntegerField(_("session number"), editable=False)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, validators=[MaxLengthValidator(5000)])
    attendees = models.ManyToManyField(
        GroupMember, verbose_name=_("present"), blank=True, related_name="sessions_attended"
    )
    region_code = models.CharField(max_length=12, editable=False)  # the group's
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("group session")  # 小组节次
        verbose_name_plural = _("group sessions")
        ordering = ["group_id", "number"]
        indexes = [
            models.Index(fields=["region_code", "held_on"], name="group_session_region_date"),
            models.Index(fields=["group", "number"], name="group_session_number"),
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.number}"
