"""Donors (捐赠方) and donations (捐赠). Funds are in ``fund_services``, stock in
``goods_services``; who may do what is in ``rules``.

Every write checks the role and the actor's subtree, checks every field together (one error
shows every problem), and writes its rows and audit entries in one transaction: a refused
donation leaves no donation, no ledger entry and no balance moved.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view, field_changes, snapshot
from wushe.charity.choices import DonationKind, DonorKind, FundStatus
from wushe.charity.fund_services import check_fund, post_income, reverse_entry
from wushe.charity.goods_services import post_goods_in, reverse_movement
from wushe.charity.models import CommunityFund, Donation, Donor
from wushe.charity.rules import (
    can_write,
    check_supervisor,
    check_writer,
    clean_into,
    date_errors,
    positive,
    raise_if,
    region_errors,
)
from wushe.organisations.credit_codes import CreditCodeError, parse_credit_code
from wushe.people.identity import IdNumberError, mask_id_number, parse_id_number
from wushe.people.phones import PhoneError, mask_phone, parse_phone
from wushe.people.services import id_hash_of
from wushe.regions.models import Region

DONOR_FIELDS = (
    "kind",
    "name",
    "id_number",
    "credit_code",
    "organisation",
    "phone",
    "region",
    "note",
)
DONATION_FIELDS = (
    "donor",
    "region",
    "received_on",
    "kind",
    "amount",
    "fund",
    "item_name",
    "quantity",
    "unit",
    "estimated_value",
    "note",
)
UNMASKABLE = ("id_number", "phone")


# Donors -----------------------------------------------------------------------------------------


def _donor_snapshot(donor: Donor) -> dict:
    """What the audit log may hold of a donor: personal numbers masked."""
    values = snapshot(donor, DONOR_FIELDS)
    values["id_number"] = mask_id_number(donor.id_number) if donor.id_number else ""
    values["phone"] = mask_phone(donor.phone) if donor.phone else ""
    return values


def _identifier_errors(donor: Donor) -> dict[str, list]:
    """Normalise the ID number, credit code and phone in place; each must fit the kind."""
    errors: dict[str, list] = {}
    number = (donor.id_number or "").strip()
    donor.id_number, donor.id_hash = "", ""
    if number and donor.kind != DonorKind.PERSON:
        errors["id_number"] = [_("Only a person donor has an ID number.")]
    elif number:
        try:
            donor.id_number = parse_id_number(number).number
            donor.id_hash = id_hash_of(donor.id_number)
        except IdNumberError as error:
            errors["id_number"] = [error.as_validation_error()]
    code = (donor.credit_code or "").strip()
    donor.credit_code = ""
    if code and donor.kind != DonorKind.ORGANISATION:
        errors["credit_code"] = [_("Only an organisation has a unified social credit code.")]
    elif code:
        try:
            donor.credit_code = parse_credit_code(code)
        except CreditCodeError as error:
            errors["credit_code"] = [error.as_validation_error()]
    if "credit_code" not in errors:
        errors.update(_organisation_errors(donor))
    phone = (donor.phone or "").strip()
    donor.phone = ""
    if phone:
        try:
            donor.phone = parse_phone(phone)
        except PhoneError as error:
            errors["phone"] = [error.as_validation_error()]
    return errors


def _organisation_errors(donor: Donor) -> dict[str, list]:
    """An organisation donor may be the social organisation registered in wushe: its credit
    code is then the organisation's (filled in when none is given)."""
    organisation = donor.organisation if donor.organisation_id else None
    if organisation is None:
        return {}
    if donor.kind != DonorKind.ORGANISATION:
        return {"organisation": [_("Only an organisation donor is linked to an organisation.")]}
    if not donor.credit_code:
        donor.credit_code = organisation.credit_code
    elif organisation.credit_code and organisation.credit_code != donor.credit_code:
        return {"credit_code": [_("The credit code differs from the organisation's.")]}
    if not donor.name:
        donor.name = organisation.name
    return {}


def _duplicate_errors(actor: User, donor: Donor) -> dict[str, list[str]]:
    """One person, one donor record nationally; one per organisation and region. A record
    outside the actor's subtree is not named, not even its region."""
    errors: dict[str, list[str]] = {}
    if donor.id_hash:
        other = Donor.objects.filter(id_hash=donor.id_hash).exclude(pk=donor.pk).first()
        if other is not None and actor.can_see_code(other.region_id):
            message = _("This person is already a donor here (%(name)s).") % {"name": other}
            errors["id_number"] = [message]
        elif other is not None:
            errors["id_number"] = [_("This person is already a donor of another area.")]
    if donor.credit_code and donor.region_id:
        others = Donor.objects.filter(region_id=donor.region_id, credit_code=donor.credit_code)
        other = others.exclude(pk=donor.pk).first()
        if other is not None:
            message = _("This organisation is already a donor here (%(name)s).")
            errors["credit_code"] = [message % {"name": other}]
    return errors


def _check_donor(actor: User, donor: Donor, region: Region | None) -> None:
    donor.name = (donor.name or "").strip()
    donor.note = (donor.note or "").strip()
    errors = _identifier_errors(donor)
    organisation = donor.organisation if donor.organisation_id else None
    if organisation is not None and not actor.can_see_code(organisation.region_id):
        errors["organisation"] = [_("No such organisation.")]
    errors["region"] = region_errors(actor, region)
    if donor.kind in (DonorKind.PERSON, DonorKind.ORGANISATION) and not donor.name:
        errors["name"] = [_("Enter the donor's name.")]
    if not errors.get("id_number") and not errors.get("credit_code"):
        errors.update(_duplicate_errors(actor, donor))
    clean_into(donor, errors, exclude=("id_hash",))


def _duplicate_after_race(actor: User, donor: Donor, error: IntegrityError) -> ValidationError:
    """Two registrations of one person at the same moment: the loser gets the field error."""
    found = _duplicate_errors(actor, donor)
    if not found:
        raise error
    return ValidationError(found)


def donor_register(*, actor: User, **fields) -> Donor:
    """登记捐赠方: a person, organisation or anonymous giver of a region in the actor's subtree."""
    check_writer(actor)
    unknown = set(fields) - set(DONOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown donor fields: {sorted(unknown)}")
    donor = Donor(created_by=actor, **fields)
    _check_donor(actor, donor, fields.get("region"))
    try:
        with transaction.atomic():
            donor.save()
            changes = field_changes({}, _donor_snapshot(donor))
            audit_record(actor=actor, action=Action.CREATE, obj=donor, changes=changes)
    except IntegrityError as error:
        donor.pk = None
        raise _duplicate_after_race(actor, donor, error) from error
    return donor


def check_donor(actor: User, donor: Donor) -> None:
    if not actor.can_see_code(donor.region_id):
        raise ValidationError({"donor": _("No such donor.")}, code="not_found")


def donor_update(*, actor: User, donor: Donor, **fields) -> Donor:
    """Change a donor. An ID number or phone left out keeps what is on file."""
    check_writer(actor)
    check_donor(actor, donor)
    unknown = set(fields) - set(DONOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown donor fields: {sorted(unknown)}")
    before = _donor_snapshot(donor)
    for name, value in fields.items():
        setattr(donor, name, value)
    _check_donor(actor, donor, fields.get("region", donor.region))
    try:
        with transaction.atomic():
            donor.save()
            changes = field_changes(before, _donor_snapshot(donor))
            if changes:
                audit_record(actor=actor, action=Action.UPDATE, obj=donor, changes=changes)
    except IntegrityError as error:
        raise _duplicate_after_race(actor, donor, error) from error
    return donor


def donor_open(*, actor: User, donor: Donor) -> Donor:
    """Opening a donor's page is a view in the audit log (the caller fetched it in scope)."""
    audit_view(actor=actor, obj=donor, what="donor")
    return donor


def donor_unmask(*, actor: User, donor: Donor, field: str) -> str:
    """A donor's full ID number or phone, for a role that writes; recorded as a view."""
    if field not in UNMASKABLE:
        raise ValueError(field)
    check_donor(actor, donor)
    if not can_write(actor):
        raise PermissionDenied(_("Your role cannot see personal numbers in full."))
    audit_view(actor=actor, obj=donor, what=f"unmask {field}")
    return getattr(donor, field)


# Donations --------------------------------------------------------------------------------------


def _money_errors(actor: User, donation: Donation, raw_amount) -> dict[str, list]:
    errors: dict[str, list] = {}
    donation.amount = positive(raw_amount, field="amount", errors=errors)
    fund = donation.fund
    if fund is not None:
        if not actor.can_see_code(fund.region_id):
            errors["fund"] = [_("No such fund.")]
        elif fund.status != FundStatus.ACTIVE:
            errors["fund"] = [_("The fund is closed: reopen it first.")]
        elif donation.region_id and not fund.region.contains(donation.region_id):
            errors["fund"] = [_("This fund does not cover the receiving region.")]
    if donation.item_name or donation.quantity is not None or donation.unit:
        errors["item_name"] = [_("A donation of money has no item, quantity or unit.")]
    if donation.estimated_value is not None:
        errors["estimated_value"] = [_("A donation of money has no estimated value.")]
    return errors


def _goods_errors(donation: Donation, raw_quantity, raw_value) -> dict[str, list]:
    errors: dict[str, list] = {}
    donation.item_name = (donation.item_name or "").strip()
    donation.unit = (donation.unit or "").strip()
    if not donation.item_name:
        errors["item_name"] = [_("Say what the goods are.")]
    if not donation.unit:
        errors["unit"] = [_("Give the unit (件, 箱, 斤, kg…).")]
    donation.quantity = positive(raw_quantity, field="quantity", errors=errors)
    if raw_value is not None and raw_value != "":
        donation.estimated_value = positive(
            raw_value, field="estimated_value", errors=errors, allow_zero=True
        )
    if donation.amount is not None or donation.fund_id is not None:
        errors["amount"] = [_("A donation of goods has no amount or fund.")]
    return errors


def donation_receive(
    *,
    actor: User,
    kind: str,
    region: Region | None = None,
    received_on: date | None = None,
    donor: Donor | None = None,
    amount: Decimal | None = None,
    fund: CommunityFund | None = None,
    item_name: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    estimated_value: Decimal | None = None,
    note: str = "",
) -> Donation:
    """接收捐赠: money (into ``fund``, or recorded without one) or goods (into the region's
    stock). Without a region, money into a fund is received by the fund's region."""
    check_writer(actor)
    if region is None and fund is not None and kind == DonationKind.MONEY:
        region = fund.region
    donation = Donation(
        donor=donor,
        region=region,
        received_on=received_on or timezone.localdate(),
        kind=kind,
        fund=fund,
        item_name=item_name or "",
        quantity=quantity,
        unit=unit or "",
        note=(note or "").strip(),
        created_by=actor,
    )
    if kind == DonationKind.MONEY:
        donation.estimated_value = estimated_value
        errors = _money_errors(actor, donation, amount)
    elif kind == DonationKind.GOODS:
        donation.amount = amount
        errors = _goods_errors(donation, quantity, estimated_value)
    else:
        errors = {"kind": [_("Choose money or goods.")]}
    errors["region"] = region_errors(actor, region)
    if donor is not None and not actor.can_see_code(donor.region_id):
        errors["donor"] = [_("No such donor.")]
    opened_on = fund.opened_on if fund is not None and not errors.get("fund") else None
    errors["received_on"] = date_errors(donation.received_on, not_before=opened_on)
    clean_into(donation, errors, exclude=("goods_item",))
    with transaction.atomic():
        donation.save()
        changes = field_changes({}, snapshot(donation, DONATION_FIELDS))
        audit_record(actor=actor, action=Action.CREATE, obj=donation, changes=changes)
        if donation.kind == DonationKind.MONEY and donation.fund is not None:
            post_income(actor=actor, donation=donation)
        elif donation.kind == DonationKind.GOODS:
            post_goods_in(actor=actor, donation=donation)
            donation.save(update_fields=["goods_item"])
    return donation


def donation_cancel(*, actor: User, donation: Donation, reason: str) -> Donation:
    """撤销: a donation recorded by mistake. Its income or goods are reversed in the ledgers
    (refused, with nothing written, when the fund or stock no longer holds them)."""
    check_supervisor(actor)
    if not actor.can_see_code(donation.region_id):
        raise ValidationError({"donation": _("No such donation.")}, code="not_found")
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Say why the donation is cancelled.")]
    elif len(reason) > 200:
        errors["reason"] = [_("Keep the reason under 200 characters.")]
    if donation.cancelled:
        errors["donation"] = [_("This donation is already cancelled.")]
    raise_if(errors)
    with transaction.atomic():
        held = Donation.objects.select_for_update().get(pk=donation.pk)
        if held.cancelled:
            raise ValidationError({"donation": _("This donation is already cancelled.")})
        try:
            _reverse_ledgers(actor, donation, reason)
        except ValidationError as error:
            raise ValidationError({"donation": error.messages}) from error
        donation.cancelled_at = timezone.now()
        donation.cancel_reason = reason
        donation.save(update_fields=["cancelled_at", "cancel_reason"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=donation,
            changes={"cancelled": [None, reason]},
        )
    return donation


def _reverse_ledgers(actor: User, donation: Donation, reason: str) -> None:
    for entry in donation.fund_entries.filter(reverses__isnull=True, reversed_by__isnull=True):
        check_fund(actor, entry.fund)
        reverse_entry(actor=actor, entry=entry, reason=reason)
    for movement in donation.goods_movements.filter(
        reverses__isnull=True, reversed_by__isnull=True
    ):
        reverse_movement(actor=actor, movement=movement, reason=reason)
