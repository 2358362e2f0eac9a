"""档案转移申请: a station that finds a person already filed by another station asks for the
file; the holding station approves (the file moves) or declines (the requester sees only that,
and the decider's note). The requester never learns anything of the file before approval."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.people.identity import IdNumberError, parse_id_number
from wushe.people.models import Resident
from wushe.people.services import id_hash_of
from wushe.referrals import rules
from wushe.referrals.choices import TransferDecision, TransferStatus
from wushe.referrals.models import TransferRequest
from wushe.referrals.services import (
    check_writer,
    optional_text,
    raise_if,
    required_text,
    resident_transfer,
)
from wushe.regions.codes import Level
from wushe.regions.models import Region

PENDING_TWICE = _("A request for this person is already pending.")


def _check_village(errors: dict, actor: User, village: Region | None) -> None:
    if village is None or not actor.can_see_code(village.code):
        errors["village"] = [_("No such region.")]
    elif village.level != Level.VILLAGE:
        errors["village"] = [_("A resident's home must be a village or community.")]
    elif rules.station_serving(village.code) is None:
        errors["village"] = [_("No station serves this village.")]


def _holder_of(errors: dict, actor: User, id_number: str) -> Resident | None:
    """The file the number belongs to, if another station holds it. The messages say no more
    than the filing form already said: whether this person is filed elsewhere."""
    try:
        number = parse_id_number(id_number or "").number
    except IdNumberError as error:
        errors["id_number"] = [error.as_validation_error()]
        return None
    resident = Resident.objects.filter(id_hash=id_hash_of(number)).first()
    if resident is None:
        errors["id_number"] = [_("No other station holds a file for this ID number.")]
    elif actor.can_see_code(resident.region_id):
        errors["id_number"] = [_("This person already has a file here.")]
    return resident


def transfer_request_create(
    *, actor: User, id_number: str, village: Region | None, reason: str
) -> TransferRequest:
    """Ask the station holding a person's file to transfer it to ``village`` (in the actor's
    subtree). Only the keyed hash of the number is kept."""
    check_writer(actor)
    errors: dict[str, list] = {}
    _check_village(errors, actor, village)
    resident = _holder_of(errors, actor, id_number)
    reason = required_text(errors, "reason", reason, _("Say why the file should move."))
    raise_if(errors)
    station = rules.station_serving(village.code)
    if TransferRequest.objects.filter(
        id_hash=resident.id_hash, station=station, status=TransferStatus.PENDING
    ).exists():
        raise ValidationError({"id_number": [PENDING_TWICE]})
    transfer = TransferRequest(
        id_hash=resident.id_hash,
        region=village,
        station=station,
        requested_by=actor,
        reason=reason,
        holder_region_code=resident.region_id,
    )
    transfer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            transfer.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=transfer,
                region_code=village.code,
                changes={"village": [None, village.code], "station": [None, str(station.pk)]},
            )
    except IntegrityError:
        raise ValidationError({"id_number": [PENDING_TWICE]}) from None
    return transfer


def transfer_decide(
    *, actor: User, transfer: TransferRequest, decision: str, note: str = ""
) -> TransferRequest:
    """The holding station approves (the file's village and station become the requester's)
    or declines with a note, which is all the requester then sees."""
    if actor is None or actor.role not in rules.DECIDERS:
        raise PermissionDenied(
            _("Only a manager or worker of the station holding the file decides.")
        )
    if decision not in TransferDecision.values:
        raise ValidationError({"decision": [_("Choose approve or decline.")]})
    with transaction.atomic():
        transfer = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
        if transfer.status != TransferStatus.PENDING:
            raise ValidationError({"status": [_("This request has already been decided.")]})
        resident = Resident.objects.filter(id_hash=transfer.id_hash).first()
        if not rules.is_holder(actor, resident and resident.region_id):
            raise PermissionDenied(
                _("Only a manager or worker of the station holding the file decides.")
            )
        errors: dict[str, list] = {}
        if decision == TransferDecision.DECLINE:
            note = required_text(errors, "note", note, _("Say why the request is declined."))
        else:
            note = optional_text(errors, "note", note)
            if transfer.station is None:
                errors["status"] = [_("The requesting station no longer exists.")]
        raise_if(errors)
        holder_code = resident.region_id
        if decision == TransferDecision.APPROVE:
            # Written in the requester's name: the new village is in their subtree, not the
            # decider's, and resident_update checks exactly that. The approval is its own entry.
            resident_transfer(
                actor=transfer.requested_by,
                resident=resident,
                village=transfer.region,
                station=transfer.station,
            )
        before = transfer.status
        transfer.status = (
            TransferStatus.APPROVED
            if decision == TransferDecision.APPROVE
            else TransferStatus.DECLINED
        )
        # Saved whole: this request keeps the old holder (who decided it) even though
        # resident_transfer pointed the pending requests for the person at the new one.
        transfer.decision_note = note
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=transfer,
            region_code=holder_code,
            changes={"status": [before, transfer.status], "note": [None, "***" if note else ""]},
        )
    return transfer
