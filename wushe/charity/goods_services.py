"""Goods in stock (物资库存) and their ledger (物资出入库), by the same rules as a fund's:
donated goods come in (``services.donation_receive`` calls :func:`post_goods_in`), handing
out more than is on hand is refused with nothing written, and a mistake is corrected by a
reversing movement under the item's row lock."""

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
from wushe.charity.choices import Direction
from wushe.charity.fund_services import reversal_errors
from wushe.charity.ledger import locked, next_balance, opposite
from wushe.charity.models import Donation, GoodsItem, GoodsMovement
from wushe.charity.rules import (
    check_supervisor,
    check_writer,
    clean_into,
    date_errors,
    positive,
    raise_if,
    resident_errors,
)
from wushe.people.models import Resident

MOVEMENT_FIELDS = (
    "item",
    "direction",
    "quantity",
    "occurred_on",
    "purpose",
    "recipient",
    "resident",
    "note",
)


def check_item(actor: User, item: GoodsItem) -> None:
    if not actor.can_see_code(item.region_id):
        raise ValidationError({"item": _("No such item.")}, code="not_found")


def _changes(movement: GoodsMovement) -> dict:
    values = {**snapshot(movement, MOVEMENT_FIELDS), "stock_after": movement.stock_after}
    return field_changes({}, values)


def _post(movement: GoodsMovement, *, field: str, short: str) -> None:
    """Write ``movement`` and move its item's stock, under the item's row lock."""
    item = locked(GoodsItem, movement.item_id)
    movement.stock_after = next_balance(
        item.quantity,
        movement.direction,
        movement.quantity,
        field=field,
        short=short % {"stock": item.quantity, "unit": item.unit, "asked": movement.quantity},
    )
    item.quantity = movement.stock_after
    item.save(update_fields=["quantity"])
    movement.save()
    movement.item.quantity = item.quantity


def post_goods_in(*, actor: User, donation: Donation) -> GoodsMovement:
    """入库: donated goods into the stock of the donation's region (an item of that name and
    unit, created on first arrival). Inside the caller's transaction."""
    item, _created = GoodsItem.objects.get_or_create(
        region_id=donation.region_id, name=donation.item_name, unit=donation.unit
    )
    donation.goods_item = item
    movement = GoodsMovement(
        item=item,
        direction=Direction.IN,
        quantity=donation.quantity,
        occurred_on=donation.received_on,
        donation=donation,
        region_code=item.region_id,
        created_by=actor,
    )
    _post(movement, field="quantity", short="")
    audit_record(actor=actor, action=Action.CREATE, obj=movement, changes=_changes(movement))
    return movement


def goods_distribute(
    *,
    actor: User,
    item: GoodsItem,
    quantity: Decimal,
    recipient: str = "",
    purpose: str = "",
    occurred_on: date | None = None,
    resident: Resident | None = None,
    note: str = "",
) -> GoodsMovement:
    """发放: goods handed out to a resident, a need or a project. Refused, with nothing
    written, when fewer are on hand."""
    check_writer(actor)
    check_item(actor, item)
    errors: dict[str, list[str]] = {}
    quantity = positive(quantity, field="quantity", errors=errors)
    errors["occurred_on"] = date_errors(occurred_on or timezone.localdate())
    errors["resident"] = resident_errors(actor, resident, item.region)
    recipient = (recipient or "").strip()
    if not recipient and resident is None:
        errors["recipient"] = [_("Say who receives the goods.")]
    movement = GoodsMovement(
        item=item,
        direction=Direction.OUT,
        quantity=quantity,
        occurred_on=occurred_on or timezone.localdate(),
        purpose=(purpose or "").strip(),
        recipient=recipient,
        resident=resident,
        note=(note or "").strip(),
        region_code=item.region_id,
        created_by=actor,
    )
    clean_into(movement, errors, exclude=("stock_after",))
    short = _("Only %(stock)s %(unit)s in stock: %(asked)s cannot be handed out.")
    with transaction.atomic():
        _post(movement, field="quantity", short=short)
        audit_record(actor=actor, action=Action.CREATE, obj=movement, changes=_changes(movement))
    return movement


def reverse_movement(
    *, actor: User, movement: GoodsMovement, reason: str, occurred_on: date | None = None
) -> GoodsMovement:
    """The reversing movement (inside the caller's transaction, no checks of role)."""
    reversal = GoodsMovement(
        item=movement.item,
        direction=opposite(movement.direction),
        quantity=movement.quantity,
        occurred_on=occurred_on or timezone.localdate(),
        donation=movement.donation,
        purpose=movement.purpose,
        recipient=movement.recipient,
        resident=movement.resident,
        reverses=movement,
        note=reason,
        region_code=movement.region_code,
        created_by=actor,
    )
    short = _("Only %(stock)s %(unit)s left in stock: the %(asked)s received cannot be taken out.")
    try:
        with transaction.atomic():
            _post(reversal, field="entry", short=short)
    except IntegrityError as error:
        raise ValidationError({"entry": _("This entry is already reversed.")}) from error
    audit_record(actor=actor, action=Action.CREATE, obj=reversal, changes=_changes(reversal))
    return reversal


def goods_movement_reverse(
    *, actor: User, movement: GoodsMovement, reason: str, occurred_on: date | None = None
) -> GoodsMovement:
    """冲正 of a movement (a manager or administrator); donated goods are reversed by
    cancelling the donation."""
    check_supervisor(actor)
    check_item(actor, movement.item)
    errors = reversal_errors(movement, reason)
    if not errors and movement.donation_id is not None:
        errors["entry"] = [_("These goods came with a donation: cancel the donation instead.")]
    errors["occurred_on"] = date_errors(
        occurred_on or timezone.localdate(),
        not_before=movement.occurred_on,
        before=_("The date is before the entry it reverses (%(day)s)."),
    )
    raise_if(errors)
    with transaction.atomic():
        return reverse_movement(
            actor=actor, movement=movement, reason=reason.strip(), occurred_on=occurred_on
        )
