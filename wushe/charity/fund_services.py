"""Community funds (社区基金) and their ledger (基金收支).

Every write holds the fund's row lock from reading its balance until the entry and the new
balance are written (``ledger.locked``), in one transaction with its audit entry: a
disbursement above the balance is refused with a field error and leaves nothing behind, and
two at the same moment cannot both spend the same money. Income arrives through donations
(``services.donation_receive`` calls :func:`post_income`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes, snapshot
from wushe.charity.choices import Direction, FundStatus
from wushe.charity.ledger import locked, next_balance, opposite
from wushe.charity.models import CommunityFund, Donation, FundEntry
from wushe.charity.rules import (
    check_supervisor,
    clean_into,
    date_errors,
    positive,
    raise_if,
    region_errors,
    resident_errors,
)
from wushe.people.models import Resident
from wushe.regions.models import Region

FUND_FIELDS = ("name", "region", "opened_on", "status", "note")
ENTRY_FIELDS = ("direction", "amount", "occurred_on", "purpose", "recipient", "resident", "note")


def check_fund(actor: User, fund: CommunityFund) -> None:
    if not actor.can_see_code(fund.region_id):
        raise ValidationError({"fund": _("No such fund.")}, code="not_found")


def _name_errors(fund: CommunityFund) -> list[str]:
    others = CommunityFund.objects.filter(region_id=fund.region_id, name=fund.name)
    if fund.region_id and fund.name and others.exclude(pk=fund.pk).exists():
        return [_("This region already has a fund of this name.")]
    return []


def _entry_changes(entry: FundEntry) -> dict:
    return field_changes(
        {}, {**snapshot(entry, ENTRY_FIELDS), "balance_after": entry.balance_after}
    )


def fund_open(
    *, actor: User, name: str, region: Region | None, opened_on: date | None = None, note: str = ""
) -> CommunityFund:
    """设立社区基金: a new fund of a village, township or county, with a zero balance."""
    check_supervisor(actor)
    fund = CommunityFund(
        name=(name or "").strip(),
        region=region,
        opened_on=opened_on or timezone.localdate(),
        note=note or "",
        created_by=actor,
    )
    errors = {
        "region": region_errors(actor, region),
        "opened_on": date_errors(fund.opened_on),
        "name": _name_errors(fund),
    }
    clean_into(fund, errors)
    try:
        with transaction.atomic():
            fund.save()
            changes = field_changes({}, snapshot(fund, FUND_FIELDS))
            audit_record(actor=actor, action=Action.CREATE, obj=fund, changes=changes)
    except IntegrityError as error:  # the same name opened twice at the same moment
        message = _("This region already has a fund of this name.")
        raise ValidationError({"name": message}) from error
    return fund


def fund_update(*, actor: User, fund: CommunityFund, **fields) -> CommunityFund:
    """Rename, annotate, close (only with nothing left in it) or reopen a fund. Its region and
    opening date stay: the ledger's entries were checked against them."""
    check_supervisor(actor)
    check_fund(actor, fund)
    unknown = set(fields) - {"name", "status", "note"}
    if unknown:
        raise TypeError(f"unknown fund fields: {sorted(unknown)}")
    before = snapshot(fund, FUND_FIELDS)
    for name, value in fields.items():
        setattr(fund, name, (value or "").strip() if name != "status" else value)
    clean_into(fund, {"name": _name_errors(fund)})
    try:
        with transaction.atomic():
            held = locked(CommunityFund, fund.pk)
            if fund.status == FundStatus.CLOSED and held.balance > 0:
                message = _("The fund still holds %(balance)s yuan: spend it before closing.")
                raise ValidationError({"status": message % {"balance": held.balance}})
            fund.balance = held.balance
            fund.save(update_fields=["name", "status", "note"])
            changes = field_changes(before, snapshot(fund, FUND_FIELDS))
            if changes:
                audit_record(actor=actor, action=Action.UPDATE, obj=fund, changes=changes)
    except IntegrityError as error:
        message = _("This region already has a fund of this name.")
        raise ValidationError({"name": message}) from error
    return fund


def _post(entry: FundEntry, *, field: str, short: str) -> None:
    """Write ``entry`` and move its fund's balance, under the fund's row lock. ``short`` may
    name ``%(balance)s``, the balance found under the lock."""
    fund = locked(CommunityFund, entry.fund_id)
    if fund.status != FundStatus.ACTIVE:
        raise ValidationError({"fund": _("The fund is closed: reopen it first.")})
    entry.balance_after = next_balance(
        fund.balance,
        entry.direction,
        entry.amount,
        field=field,
        short=short % {"balance": fund.balance, "amount": entry.amount},
    )
    fund.balance = entry.balance_after
    fund.save(update_fields=["balance"])
    entry.save()
    entry.fund.balance = fund.balance  # the caller's object shows the new balance


def post_income(*, actor: User, donation: Donation) -> FundEntry:
    """收入: a money donation into its fund (inside the caller's transaction)."""
    entry = FundEntry(
        fund=donation.fund,
        direction=Direction.IN,
        amount=donation.amount,
        occurred_on=donation.received_on,
        donation=donation,
        region_code=donation.fund.region_id,
        created_by=actor,
    )
    _post(entry, field="amount", short="")
    audit_record(actor=actor, action=Action.CREATE, obj=entry, changes=_entry_changes(entry))
    return entry


def fund_disburse(
    *,
    actor: User,
    fund: CommunityFund,
    amount: Decimal,
    purpose: str,
    occurred_on: date | None = None,
    recipient: str = "",
    resident: Resident | None = None,
    note: str = "",
) -> FundEntry:
    """支出: money out of the fund for a need, a project or a resident. Refused, with nothing
    written, when the fund holds less than ``amount``."""
    check_supervisor(actor)
    check_fund(actor, fund)
    errors: dict[str, list[str]] = {}
    amount = positive(amount, field="amount", errors=errors)
    occurred_on = occurred_on or timezone.localdate()
    errors["occurred_on"] = date_errors(occurred_on, not_before=fund.opened_on)
    errors["resident"] = resident_errors(actor, resident, fund.region)
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say what the money is spent on.")]
    entry = FundEntry(
        fund=fund,
        direction=Direction.OUT,
        amount=amount,
        occurred_on=occurred_on,
        purpose=(purpose or "").strip(),
        recipient=(recipient or "").strip(),
        resident=resident,
        note=(note or "").strip(),
        region_code=fund.region_id,
        created_by=actor,
    )
    clean_into(entry, errors, exclude=("balance_after",))
    short = _("The fund holds %(balance)s yuan: it cannot pay out %(amount)s yuan.")
    with transaction.atomic():
        _post(entry, field="amount", short=short)
        audit_record(actor=actor, action=Action.CREATE, obj=entry, changes=_entry_changes(entry))
    return entry


def reverse_entry(
    *, actor: User, entry: FundEntry, reason: str, occurred_on: date | None = None
) -> FundEntry:
    """The reversing entry of ``entry`` (inside the caller's transaction, no checks of role)."""
    reversal = FundEntry(
        fund=entry.fund,
        direction=opposite(entry.direction),
        amount=entry.amount,
        occurred_on=occurred_on or timezone.localdate(),
        donation=entry.donation,
        purpose=entry.purpose,
        recipient=entry.recipient,
        resident=entry.resident,
        reverses=entry,
        note=reason,
        region_code=entry.region_code,
        created_by=actor,
    )
    if entry.direction == Direction.IN:
        short = _(
            "The fund holds %(balance)s yuan: reversing %(amount)s yuan of income would take it "
            "below zero."
        )
    else:
        short = ""
    try:
        with transaction.atomic():
            _post(reversal, field="entry", short=short)
    except IntegrityError as error:  # reversed twice at the same moment: one wins
        raise ValidationError({"entry": _("This entry is already reversed.")}) from error
    audit_record(actor=actor, action=Action.CREATE, obj=reversal, changes=_entry_changes(reversal))
    return reversal


def reversal_errors(entry, reason: str) -> dict[str, list[str]]:
    """Why ``entry`` (of either ledger) cannot be reversed now (empty: it can)."""
    errors: dict[str, list[str]] = {}
    if entry.reverses_id is not None:
        errors["entry"] = [_("A reversing entry is not reversed again: record a new entry.")]
    elif type(entry).objects.filter(reverses=entry).exists():
        errors["entry"] = [_("This entry is already reversed.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the entry is reversed.")]
    elif len(reason) > 500:
        errors["reason"] = [_("Keep the reason under 500 characters.")]
    return errors


def fund_entry_reverse(
    *, actor: User, entry: FundEntry, reason: str, occurred_on: date | None = None
) -> FundEntry:
    """冲正: a new entry in the other direction for the same amount. A donation's income is
    reversed by cancelling the donation, so that the two stay together."""
    check_supervisor(actor)
    check_fund(actor, entry.fund)
    errors = reversal_errors(entry, reason)
    if not errors and entry.donation_id is not None:
        errors["entry"] = [_("This income came with a donation: cancel the donation instead.")]
    errors["occurred_on"] = date_errors(
        occurred_on or timezone.localdate(),
        not_before=entry.occurred_on,
        before=_("The date is before the entry it reverses (%(day)s)."),
    )
    raise_if(errors)
    with transaction.atomic():
        return reverse_entry(
            actor=actor, entry=entry, reason=reason.strip(), occurred_on=occurred_on
        )
