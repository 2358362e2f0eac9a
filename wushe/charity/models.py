"""Charity resources (社会慈善资源): donors, donations, community funds and goods in stock.

The two ledgers — a fund's income and spending (基金收支) and the goods moving in and out of
stock (物资出入库) — are append-only (``ledger.AppendOnly``): a mistake is corrected by a new
reversing entry, never by editing or deleting one. Each ledger's holder (the fund, the stock
item) keeps its current balance, which the services move under a row lock in the same
transaction as the entry, so it always equals the sum of the entries and never goes below zero.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wushe.charity.choices import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    Direction,
    DonationKind,
    DonorKind,
    FundStatus,
)
from wushe.charity.ledger import AppendOnly, AppendOnlyManager
from wushe.core.fields import EncryptedTextField
from wushe.core.models import ScopedManager


def _decimal(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs
    )


def _region(label) -> models.ForeignKey:
    return models.ForeignKey(
        "regions.Region",
        verbose_name=label,
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )


class Donor(models.Model):
    """捐赠方: a person, an organisation or an anonymous giver, registered by the receiving
    region (the scope column).

    A person's ID number is optional, encrypted at rest, and found through ``id_hash`` — the
    same keyed hash as a resident's or a volunteer's (one person, one identity, see
    ``people/roles.py``), unique among donors. An organisation has its unified social credit
    code (统一社会信用代码, GB 32100), unique in its region, and may be linked to the social
    organisation (社会组织) registered in wushe.
    """

    kind = models.CharField(_("kind of donor"), max_length=12, choices=DonorKind.choices)
    name = models.CharField(_("donor name"), max_length=100, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("social organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the donor and its donations stay
        related_name="donor_records",
    )
    phone = EncryptedTextField(_("phone"), blank=True)
    region = _region(_("receiving region"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_field = "region_id"
    objects = ScopedManager()

    PERSONAL_FIELDS = ("id_number", "phone")

    class Meta:
        verbose_name = _("donor")  # 捐赠方
        verbose_name_plural = _("donors")
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                condition=~Q(id_hash=""),
                name="donor_one_per_person",
                violation_error_message=_("This person is already registered as a donor."),
            ),
            models.UniqueConstraint(
                fields=["region", "credit_code"],
                condition=~Q(credit_code=""),
                name="donor_one_per_organisation_and_region",
                violation_error_message=_("This organisation is already a donor here."),
            ),
            models.CheckConstraint(
                condition=Q(kind=DonorKind.PERSON, credit_code="", organisation__isnull=True)
                | Q(kind=DonorKind.ORGANISATION, id_hash="")
                | Q(
                    kind=DonorKind.ANONYMOUS,
                    id_hash="",
                    credit_code="",
                    organisation__isnull=True,
                ),
                name="donor_identifiers_fit_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind=DonorKind.ANONYMOUS) | ~Q(name=""),
                name="donor_named_unless_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return self.name or gettext("Anonymous donor")


class Donation(models.Model):
    """捐赠: money or goods received from a donor (none: anonymous) for a region.

    Money goes into a community fund (an income entry of its ledger, in the same transaction)
    or is recorded without one; goods go into the region's stock (an entry of the stock
    ledger). A donation is not edited: a mistaken one is cancelled, which reverses its entry.
    """

    donor = models.ForeignKey(
        Donor,
        verbose_name=_("donor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    region = _region(_("receiving region"))
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("kind of donation"), max_length=6, choices=DonationKind.choices)
    amount = _decimal(_("amount (yuan)"), null=True, blank=True)
    fund = models.ForeignKey(
        "CommunityFund",
        verbose_name=_("into community fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    item_name = models.CharField(_("item"), max_length=100, blank=True)
    quantity = _decimal(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    estimated_value = _decimal(_("estimated value (yuan)"), null=True, blank=True)
    goods_item = models.ForeignKey(
        "GoodsItem", null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("donation")  # 捐赠
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["region", "received_on"], name="donation_region_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind=DonationKind.MONEY,
                    amount__gt=0,
                    quantity__isnull=True,
                    item_name="",
                    goods_item__isnull=True,
                )
                | (
                    Q(
                        kind=DonationKind.GOODS,
                        amount__isnull=True,
                        fund__isnull=True,
                        quantity__gt=0,
                    )
                    & ~Q(item_name="")
                ),
                name="donation_fields_fit_kind",
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="donation_estimate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == DonationKind.MONEY:
            return gettext("%(amount)s yuan") % {"amount": self.amount}
        return f"{self.item_name} {self.quantity}{self.unit}"

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class CommunityFund(models.Model):
    """社区基金: a fund of a village, township or county, fed by donations and spent on needs,
    projects and residents. ``balance`` is the sum of its ledger (``FundEntry``), moved only by
    the services under a row lock, and never below zero (a database check as well)."""

    name = models.CharField(_("fund name"), max_length=100)
    region = _region(_("region"))
    opened_on = models.DateField(_("opened on"))
    status = models.CharField(
        _("status"), max_length=8, choices=FundStatus.choices, default=FundStatus.ACTIVE
    )
    balance = _decimal(_("balance (yuan)"), default=0, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("community fund")  # 社区基金
        verbose_name_plural = _("community funds")
        ordering = ["region_id", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_not_negative"),
            models.UniqueConstraint(
                fields=["region", "name"],
                name="fund_name_once_per_region",
                violation_error_message=_("This region already has a fund of this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GoodsItem(models.Model):
    """物资库存: one kind of goods (name and unit) held in a region, with the quantity on hand,
    moved only by the stock ledger (``GoodsMovement``) and never below zero."""

    name = models.CharField(_("item"), max_length=100)
    unit = models.CharField(_("unit"), max_length=10)
    region = _region(_("region"))
    quantity = _decimal(_("quantity on hand"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("goods in stock")  # 物资
        verbose_name_plural = _("goods in stock")
        ordering = ["region_id", "name", "unit", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="goods_stock_not_negative"),
            models.UniqueConstraint(fields=["region", "name", "unit"], name="goods_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class LedgerEntry(AppendOnly):
    """What both ledgers record of an entry besides its holder and amount."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    occurred_on = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)  # 用途
    recipient = models.CharField(_("recipient"), max_length=100, blank=True)  # 受助对象
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident helped"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # a resident who received help stays in the books
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    region_code = models.CharField(max_length=12, editable=False)  # the holder's
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    scope_field = "region_code"
    objects = AppendOnlyManager()

    class Meta:
        abstract = True
        ordering = ["-id"]


class FundEntry(LedgerEntry):
    """基金收支: one income (收入, from a donation) or spending (支出, to a need, project or
    resident) of a community fund, with the fund's balance after it. Append-only."""

    fund = models.ForeignKey(
        CommunityFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = _decimal(_("amount (yuan)"))
    balance_after = _decimal(_("balance after (yuan)"))
    donation = models.ForeignKey(
        Donation,
        verbose_name=_("donation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = _("fund entry")  # 基金收支
        verbose_name_plural = _("fund entries")
        indexes = [models.Index(fields=["region_code", "occurred_on"], name="fund_entry_region")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="fund_entry_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="fund_entry_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.amount}"


class GoodsMovement(LedgerEntry):
    """物资出入库: goods coming into stock (入库, from a donation) or handed out (出库), with the
    quantity on hand after it. Append-only."""

    item = models.ForeignKey(
        GoodsItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="movements"
    )
    quantity = _decimal(_("quantity"))
    stock_after = _decimal(_("stock after"))
    donation = models.ForeignKey(
        Donation,
        verbose_name=_("donation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goods_movements",
    )

    class Meta(LedgerEntry.Meta):
        verbose_name = _("goods movement")  # 物资出入库
        verbose_name_plural = _("goods movements")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="goods_movement_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(stock_after__gte=0), name="goods_movement_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="goods_movement_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.quantity}"
