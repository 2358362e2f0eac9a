"""转介 (referrals of a case) and 档案转移申请 (requests to take over a resident's file).

Both are seen from two sides: the side that sends or asks and the side that receives or holds.
Each row carries a region code for either side, and ``visible_to(user)`` is the OR of two range
filters on the same table, so both stations find the row without any join.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.fields import EncryptedTextField, LookupHashField
from wushe.core.models import ScopedQuerySet
from wushe.referrals.choices import ReferralStatus, TransferStatus


def _in_range(field: str, code_range: tuple[str, str]) -> Q:
    low, high = code_range
    return Q(**{f"{field}__gte": low, f"{field}__lte": high})


class TwoSidedQuerySet(ScopedQuerySet):
    """Visible from the sending side (``scope_field``) or from the other side
    (``other_scope_field``)."""

    def visible_to(self, user) -> TwoSidedQuerySet:
        if user is None or not user.is_authenticated or not getattr(user, "region_id", None):
            return self.none()
        code_range = user.scope_range
        return self.filter(
            _in_range(self.model.scope_field, code_range)
            | _in_range(self.model.other_scope_field, code_range)
        )

    def other_side_within(self, code_range: tuple[str, str]) -> TwoSidedQuerySet:
        return self.filter(_in_range(self.model.other_scope_field, code_range))


TwoSidedManager = models.Manager.from_queryset(TwoSidedQuerySet)


class Referral(models.Model):
    """转介: a case sent from the station holding it to another station (which accepts or
    returns it) or to a department such as 区残联 or 派出所 (whose answer the sender records).

    ``region_code`` is the case's region as the sender sees it; ``to_region_code`` is the
    receiving station's township ("" for a department). What the referral says about the
    person (reason, what is asked for, the answer) is encrypted at rest like the case itself.
    """

    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="referrals"
    )
    from_station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("from station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("to station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_department = models.CharField(_("to department"), max_length=100, blank=True)
    reason = EncryptedTextField(_("reason for referral"))
    asked_for = EncryptedTextField(_("what is asked for"))
    referred_on = models.DateField(_("referred on"))
    transfer_file = models.BooleanField(_("transfer the file"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    decision_note = EncryptedTextField(_("answer"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    region_code = models.CharField(max_length=12, editable=False)
    to_region_code = models.CharField(max_length=12, blank=True, editable=False)

    scope_field = "region_code"
    other_scope_field = "to_region_code"
    objects = TwoSidedManager()

    class Meta:
        verbose_name = _("referral")  # 转介
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status=ReferralStatus.PENDING),
                name="referral_one_pending_per_case",
                violation_error_message=_("This case already has a pending referral."),
            ),
            models.CheckConstraint(
                condition=Q(to_station__isnull=True) | Q(to_department=""),
                name="referral_station_or_department",
            ),
        ]
        indexes = [
            models.Index(fields=["region_code", "status"], name="referral_from_status"),
            models.Index(fields=["to_region_code", "status"], name="referral_to_status"),
        ]

    def __str__(self) -> str:
        return f"{_('referral')} {self.pk}"

    @property
    def to_a_department(self) -> bool:
        return bool(self.to_department)

    @property
    def target_name(self) -> str:
        if self.to_department:
            return self.to_department
        return self.to_station.name if self.to_station else "—"


class TransferRequest(models.Model):
    """档案转移申请: a station asks for the file of a person another station holds.

    It stores the keyed hash of the ID number (never the number) and the requester's village;
    ``holder_region_code`` is the resident's village when asked (kept up to date when the file
    moves), so the holding station finds the request. The requester learns nothing of the file
    but the outcome.
    """

    id_hash = LookupHashField(editable=False)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("requesting station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = EncryptedTextField(_("reason for the request"))
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decision_note = EncryptedTextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    holder_region_code = models.CharField(max_length=12, editable=False)

    scope_field = "region_id"
    other_scope_field = "holder_region_code"
    objects = TwoSidedManager()

    class Meta:
        verbose_name = _("transfer request")  # 档案转移申请
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash", "station"],
                condition=Q(status=TransferStatus.PENDING),
                name="transfer_one_pending_per_station",
                violation_error_message=_("A request for this person is already pending."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="transfer_requester_status"),
            models.Index(fields=["holder_region_code", "status"], name="transfer_holder_status"),
        ]

    def __str__(self) -> str:
        return f"{_('transfer request')} {self.pk}"
