"""Matching runs (供需对接), their proposals and unmet needs, and the tasks accepted from them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.matching.choices import OPEN_TASKS, ProposalStatus, TaskStatus, UnmetReason

MAX_TASK_HOURS = 24


class MatchRun(models.Model):
    """对接批次: one run of the solver over the open needs of a station or a county.

    ``region_code`` is the station's township or the county (the scope column). A dry run is
    never stored: it prints the same table and writes nothing.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("run at"), auto_now_add=True)
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("region"), max_length=12)
    week_of = models.DateField(_("week of"))  # the first of the seven days matched
    needs_count = models.PositiveIntegerField(_("open needs"), default=0)
    suppliers_count = models.PositiveIntegerField(_("suppliers"), default=0)
    met = models.PositiveIntegerField(_("needs met"), default=0)
    met_urgent = models.PositiveIntegerField(_("urgent needs met"), default=0)
    unmet_count = models.PositiveIntegerField(_("needs unmet"), default=0)
    cost = models.BigIntegerField(_("total cost"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("matching run")  # 对接批次
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["region_code", "started_at"], name="run_region_at")]

    def __str__(self) -> str:
        return f"{_('matching run')} {self.pk}"


class Proposal(models.Model):
    """对接建议: the solver's proposal to give one need to one volunteer or organisation offer,
    with why (distance, surplus skills, load) and the next best candidate. A worker accepts
    (a task is offered), rejects, or changes the supplier by hand (``edited``) within the hard
    constraints. ``region_code`` is the need's."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    need = models.ForeignKey(
        "matching.Need",
        verbose_name=_("need"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offer = models.ForeignKey(
        "matching.OrganisationOffer",
        verbose_name=_("organisation offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cost = models.BigIntegerField(_("cost"))
    distance_km = models.FloatField(_("distance (km)"))
    skill_fit = models.PositiveSmallIntegerField(_("skills beyond those required"), default=0)
    load = models.PositiveIntegerField(_("tasks in the week"), default=0)
    next_volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("next best volunteer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_offer = models.ForeignKey(
        "matching.OrganisationOffer",
        verbose_name=_("next best organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_cost = models.BigIntegerField(_("next best cost"), null=True, blank=True)
    next_distance_km = models.FloatField(_("next best distance (km)"), null=True, blank=True)
    next_taken = models.BooleanField(default=False)  # the next best's week went to this run
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    edited = models.BooleanField(_("changed by hand"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("proposal")  # 对接建议
        verbose_name_plural = _("proposals")
        ordering = ["run_id", "need__urgency", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer__isnull=True) ^ Q(offer__isnull=True),
                name="proposal_one_supplier",
            )
        ]

    def __str__(self) -> str:
        return f"{_('proposal')} {self.pk}"

    @property
    def supplier(self):
        return self.volunteer if self.volunteer_id else self.offer

    @property
    def next_supplier(self):
        return self.next_volunteer if self.next_volunteer_id else self.next_offer


class UnmetNeed(models.Model):
    """未满足需求: a need a run could not meet, with the first constraint that failed, so the
    station knows whom to recruit. ``region_code`` is the need's."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmet")
    need = models.ForeignKey(
        "matching.Need",
        verbose_name=_("need"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=UnmetReason.choices)
    candidates = models.PositiveIntegerField(_("feasible suppliers"), default=0)
    region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("unmet need")  # 未满足需求
        verbose_name_plural = _("unmet needs")
        ordering = ["run_id", "need__urgency", "id"]

    def __str__(self) -> str:
        return f"{self.need_id}: {self.reason}"


class Task(models.Model):
    """服务任务: one need given to one volunteer (who accepts or declines it in their portal)
    or to an organisation offer (accepted on the organisation's behalf). The station confirms
    it done with the hours served, which the volunteers' ledger records. ``region_code`` is
    the need's (the scope column); a volunteer reads only their own tasks, never by scope."""

    need = models.ForeignKey(
        "matching.Need",
        verbose_name=_("need"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    offer = models.ForeignKey(
        "matching.OrganisationOffer",
        verbose_name=_("organisation offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="task"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.OFFERED,
    )
    offered_at = models.DateTimeField(_("offered at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    served_on = models.DateField(_("served on"), null=True, blank=True)
    hours = models.DecimalField(
        _("hours served"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_TASK_HOURS)],
    )
    tier = models.CharField(_("task tier"), max_length=20, blank=True)
    ledger_entry_id = models.BigIntegerField(null=True, blank=True, editable=False)
    region_code = models.CharField(max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    scope_field = "region_code"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("service task")  # 服务任务
        verbose_name_plural = _("service tasks")
        ordering = ["-offered_at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "status"], name="task_region_status"),
            models.Index(fields=["volunteer", "status"], name="task_volunteer_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer__isnull=True) ^ Q(offer__isnull=True),
                name="task_one_supplier",
            ),
            # A need is in one pair of hands at a time.
            models.UniqueConstraint(
                fields=["need"],
                condition=Q(status__in=OPEN_TASKS),
                name="task_one_open_per_need",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('service task')} {self.pk}"

    @property
    def supplier(self):
        return self.volunteer if self.volunteer_id else self.offer
