"""The hours and points ledger (志愿服务记录) and the certificates issued from it
(志愿服务记录证明)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.charity.ledger import AppendOnly, AppendOnlyManager
from wushe.core.models import ScopedManager
from wushe.volunteers.choices import EntryKind, Tier


class LedgerEntry(AppendOnly):
    """志愿服务记录: one line of a volunteer's hours and points (志愿服务积分) ledger.

    Append-only (``charity.ledger.AppendOnly``; on PostgreSQL a trigger too, migration 0003):
    a mistake is corrected by a new ``correction`` entry that ``reverses`` it, carrying the
    opposite hours and points, so a volunteer's hours and points are always the sums of their
    entries. Signs by kind: ``earned`` hours ≥ 0 and points ≥ 0; ``honour`` hours > 0 and no
    points; ``redeemed`` and ``expired`` no hours and points < 0.

    A service is recorded with what it was (``content``) and where it came from: an activity
    (``activity``) or a matched task (``task_ref``, filled by the matching app). Entries are
    read through their volunteer's village (the scope).
    """

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, default=0)
    points = models.IntegerField(_("points"), default=0)
    tier = models.CharField(_("task tier"), max_length=14, choices=Tier.choices, blank=True)
    content = models.CharField(_("content of service"), max_length=200, blank=True)
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        # The entry outlives the activity: deleting an activity (its own app's decision) must
        # neither fail nor change an append-only row, so no constraint and no cascade; the
        # entry keeps the id and its own ``content``.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    task_ref = models.CharField(_("task reference"), max_length=64, blank=True)
    occurred_on = models.DateField(_("date"))
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,  # None: the system (points expired by ``wushe volunteers expire-points``)
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    scope_field = "volunteer__region_id"
    objects = AppendOnlyManager()

    class Meta:
        verbose_name = _("ledger entry")  # 志愿服务记录
        verbose_name_plural = _("ledger entries")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["volunteer", "occurred_on"], name="ledger_volunteer_day"),
            models.Index(fields=["task_ref"], name="ledger_task_ref", condition=~Q(task_ref="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=EntryKind.EARNED, hours__gte=0, points__gte=0)
                    | Q(kind=EntryKind.HONOUR, hours__gt=0, points=0)
                    | Q(kind__in=[EntryKind.REDEEMED, EntryKind.EXPIRED], hours=0, points__lt=0)
                    | Q(kind=EntryKind.CORRECTION)
                ),
                name="ledger_entry_signs_fit_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.CORRECTION, reverses__isnull=False)
                | (~Q(kind=EntryKind.CORRECTION) & Q(reverses__isnull=True)),
                name="ledger_correction_reverses_an_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.hours}h {self.points:+d}"


class Certificate(models.Model):
    """志愿服务记录证明: a certificate of a volunteer's service record, as the 2020 《志愿服务
    记录与证明出具办法》 asks (name, ID type and number — masked here —, volunteer number,
    hours and content of service, issuer, certificate number, date).

    What it showed is kept: the name, masked number and total hours at issue, and the last
    ledger entry it covered (``upto_entry_id``), so the same PDF can be printed again from the
    append-only ledger. Issuing is audited.
    """

    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    name = models.CharField(_("full name"), max_length=50)
    id_masked = models.CharField(_("ID number (masked)"), max_length=20)
    hours = models.DecimalField(_("total hours"), max_digits=10, decimal_places=2)
    upto_entry_id = models.BigIntegerField(_("last entry covered"), default=0)
    issuer = models.CharField(_("issued by (organisation)"), max_length=200)
    issuer_site = models.ForeignKey(
        "regions.Site",
        verbose_name=_("issuing site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    scope_field = "volunteer__region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("service-record certificate")  # 志愿服务记录证明
        verbose_name_plural = _("service-record certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
