"""Writing referrals (转介) and transfer requests (档案转移申请). Pages and the API call these
with an explicit actor; each checks role and scope, validates, writes in one transaction and
records its audit entry. Bad input is a ValidationError naming the field; nothing is written.

Transfer requests are in ``transfers.py``; both share :func:`resident_transfer`.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.casework.cases import Stage
from wushe.casework.models import Case
from wushe.people.models import Resident
from wushe.people.services import resident_update
from wushe.referrals import rules
from wushe.referrals.choices import ReferralDecision, ReferralStatus, TransferStatus
from wushe.referrals.models import Referral, TransferRequest
from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site

TEXT_LENGTH = 5000


def check_writer(actor: User | None) -> None:
    if not rules.is_writer(actor):
        raise PermissionDenied(_("Your role cannot make referrals or transfer requests."))


def required_text(errors: dict, name: str, value: str | None, message: str) -> str:
    """The stripped text, or a message under ``name`` when it is empty or too long."""
    text = (value or "").strip()
    if not text:
        errors[name] = [message]
    elif len(text) > TEXT_LENGTH:
        errors[name] = [_("At most %(limit)s characters.") % {"limit": TEXT_LENGTH}]
    return text


def optional_text(errors: dict, name: str, value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_LENGTH:
        errors[name] = [_("At most %(limit)s characters.") % {"limit": TEXT_LENGTH}]
    return text


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _visible_case(actor: User, case: Case | None) -> Case:
    """The case as it is now (its person may have moved), through casework's own scoping."""
    found = None
    if case is not None:
        cases = Case.objects.visible_to(actor).select_related("resident")
        found = cases.filter(pk=case.pk).first()
    if found is None:
        raise ValidationError({"case": _("No such case.")}, code="not_found")
    return found


def _check_target(errors: dict, to_station: Site | None, to_department: str, held_at: set[str]):
    if to_station is not None and to_department:
        errors["to_department"] = [_("Refer to a station or to a department, not both.")]
    elif to_station is None and not to_department:
        errors["to_station"] = [_("Choose a station or name a department.")]
    elif to_station is not None:
        if to_station.kind != SiteKind.STATION or to_station.status == SiteStatus.CLOSED:
            errors["to_station"] = [_("No such station.")]
        elif to_station.region_id in {rules.township_of(code) for code in held_at}:
            errors["to_station"] = [_("This station already holds the case.")]
    else:
        limit = Referral._meta.get_field("to_department").max_length
        if len(to_department) > limit:
            errors["to_department"] = [_("At most %(limit)s characters.") % {"limit": limit}]


def referral_create(
    *,
    actor: User,
    case: Case,
    reason: str,
    asked_for: str,
    to_station: Site | None = None,
    to_department: str = "",
    referred_on: date | None = None,
    transfer_file: bool = False,
) -> Referral:
    """转介: send a case the actor holds to another station, or to a department by name."""
    check_writer(actor)
    case = _visible_case(actor, case)
    # The sender's side: the case's region, or the resident's village if the file moved here.
    held_at = case.region_code if actor.can_see_code(case.region_code) else case.resident.region_id
    to_department = (to_department or "").strip()
    referred_on = referred_on or timezone.localdate()
    errors: dict[str, list] = {}
    if case.stage == Stage.CLOSED:
        errors["case"] = [_("The case is closed.")]
    elif case.referrals.filter(status=ReferralStatus.PENDING).exists():
        errors["case"] = [_("This case already has a pending referral.")]
    # Where the case was opened, and where the person now lives: either station holds it.
    _check_target(errors, to_station, to_department, {held_at, case.resident.region_id})
    if transfer_file and to_department:
        errors["transfer_file"] = [_("Only a station can take over the file.")]
    reason = required_text(errors, "reason", reason, _("Say why the case is referred."))
    asked_for = required_text(errors, "asked_for", asked_for, _("Say what is asked for."))
    if referred_on > timezone.localdate():
        errors["referred_on"] = [_("A referral cannot be in the future.")]
    elif referred_on < case.opened_on:
        errors["referred_on"] = [_("A referral cannot come before the case opened.")]
    raise_if(errors)
    referral = Referral(
        case=case,
        from_station=rules.station_serving(held_at),
        to_station=to_station,
        to_department=to_department,
        reason=reason,
        asked_for=asked_for,
        referred_on=referred_on,
        transfer_file=bool(transfer_file),
        created_by=actor,
        region_code=held_at,
        to_region_code=to_station.region_id if to_station else "",
    )
    referral.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            referral.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=referral,
                changes={
                    "case": [None, str(case.pk)],
                    "to": [None, to_department or str(to_station.pk)],
                    "transfer_file": [None, str(bool(transfer_file))],
                    "reason": [None, "***"],  # about the person: never in the log
                },
            )
    except IntegrityError:
        # Two referrals of one case at the same moment: the loser gets the field error.
        raise ValidationError({"case": [_("This case already has a pending referral.")]}) from None
    return referral


def _decision_of(decision: str) -> ReferralDecision:
    if decision not in ReferralDecision.values:
        raise ValidationError({"decision": [_("Choose accept or return.")]})
    return ReferralDecision(decision)


def _locked_pending(referral: Referral) -> Referral:
    locked = (
        Referral.objects.select_for_update().select_related("case__resident").get(pk=referral.pk)
    )
    if locked.status != ReferralStatus.PENDING:
        raise ValidationError({"status": [_("This referral has already been decided.")]})
    return locked


def _close(actor: User, referral: Referral, decision: ReferralDecision, note: str) -> Referral:
    before = referral.status
    referral.status = (
        ReferralStatus.ACCEPTED if decision == ReferralDecision.ACCEPT else ReferralStatus.RETURNED
    )
    referral.decision_note = note
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.full_clean(validate_constraints=False)
    referral.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=referral,
        changes={"status": [before, referral.status], "note": [None, "***" if note else ""]},
    )
    return referral


def _return_note(errors: dict, decision: ReferralDecision, note: str | None) -> str:
    if decision == ReferralDecision.RETURN:
        return required_text(errors, "note", note, _("Say why the referral is returned."))
    return optional_text(errors, "note", note)


def referral_decide(
    *,
    actor: User,
    referral: Referral,
    decision: str,
    note: str = "",
    village: Region | None = None,
) -> Referral:
    """The receiving station accepts or returns (with a reason) a station referral. If the
    sender asked for it, accepting also moves the resident's file to a village of the station."""
    if referral.to_a_department:
        message = _("A department's answer is recorded by the sending station.")
        raise ValidationError({"decision": [message]})
    if actor is None or actor.role not in rules.DECIDERS:
        raise PermissionDenied(_("Only a manager or worker of the receiving station decides."))
    decision = _decision_of(decision)
    with transaction.atomic():
        referral = _locked_pending(referral)
        if not rules.is_receiver(actor, referral):
            raise PermissionDenied(_("Only a manager or worker of the receiving station decides."))
        errors: dict[str, list] = {}
        note = _return_note(errors, decision, note)
        moving = decision == ReferralDecision.ACCEPT and referral.transfer_file
        if moving:
            _check_new_village(errors, actor, referral, village)
        elif village is not None:
            errors["village"] = [_("The sender did not ask for the file to be transferred.")]
        raise_if(errors)
        if moving:
            resident_transfer(
                actor=actor,
                resident=referral.case.resident,
                village=village,
                station=referral.to_station,
            )
        return _close(actor, referral, decision, note)


def _check_new_village(errors: dict, actor: User, referral: Referral, village) -> None:
    if referral.to_station is None:
        errors["village"] = [_("The receiving station no longer exists.")]
    elif village is None:
        errors["village"] = [_("Choose the village the person now lives in.")]
    elif not actor.can_see_code(village.code) or not codes.in_subtree(
        village.code, referral.to_region_code, Level.TOWNSHIP
    ):
        errors["village"] = [_("Choose a village of the receiving station.")]
    elif village.level != Level.VILLAGE:
        errors["village"] = [_("A resident's home must be a village or community.")]


def referral_record_department_answer(
    *, actor: User, referral: Referral, decision: str, note: str = ""
) -> Referral:
    """The sending station records what the department answered: accepted, or returned with
    its reason."""
    if not referral.to_a_department:
        raise ValidationError({"decision": [_("The receiving station decides on this referral.")]})
    check_writer(actor)
    decision = _decision_of(decision)
    with transaction.atomic():
        referral = _locked_pending(referral)
        if not rules.records_department_answer(actor, referral):
            raise PermissionDenied(_("Only the sending station records a department's answer."))
        errors: dict[str, list] = {}
        note = _return_note(errors, decision, note)
        raise_if(errors)
        return _close(actor, referral, decision, note)


def resident_transfer(*, actor: User, resident: Resident, village: Region, station: Site):
    """Move a file to ``village`` and ``station`` through people's ``resident_update``, which
    checks that ``actor`` sees the village and records the change. The old household stays
    behind (a household is one home in one village). Pending transfer requests for the person
    now find the new holder."""
    resident = Resident.objects.select_for_update().get(pk=resident.pk)
    fields = {"region": village, "station": station}
    if resident.household_id is not None:
        fields.update(household=None, relation="")
    try:
        resident_update(actor=actor, resident=resident, **fields)
    except (ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        raise ValidationError({"village": messages}) from error
    TransferRequest.objects.filter(id_hash=resident.id_hash, status=TransferStatus.PENDING).update(
        holder_region_code=village.code
    )
    return resident
