"""Registering volunteers (志愿者登记), changing their record, opening it, and giving them a
portal account. Pages, the API, the demo and the matching app call these.

Who: social workers, station managers and administrators whose subtree holds the volunteer's
home village; auditors read only. One person, one identity: the ID number is parsed (GB 11643)
and stored encrypted with the same keyed hash as a resident's, unique among volunteers, and a
volunteer who is a filed resident is linked to that file (never given a second one).

The hours and points ledger is in ``ledger_services``; teams in ``team_services``; skills in
``skill_services``; certificates in ``certificates``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view, field_changes, snapshot
from wushe.people.identity import IdNumberError, mask_id_number, parse_id_number
from wushe.people.models import Resident
from wushe.people.phones import PhoneError, mask_phone, parse_phone
from wushe.people.services import id_hash_of, name_keys, phone_hash_of
from wushe.regions.codes import Level
from wushe.regions.models import Region
from wushe.volunteers.choices import ALL_WEEK, LATITUDE_RANGE, LONGITUDE_RANGE, Status
from wushe.volunteers.models import Skill, Volunteer
from wushe.volunteers.numbers import NUMBER_ATTEMPTS, next_number

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
SUPERVISORS = (Role.ADMIN, Role.MANAGER)
VOLUNTEER_FIELDS = (
    "name",
    "gender",
    "id_number",
    "phone",
    "region",
    "latitude",
    "longitude",
    "availability",
    "capacity",
    "hours_per_week",
    "radius_km",
    "status",
    "note",
)
AUDITED = (*VOLUNTEER_FIELDS, "skills")


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A field's error with a stable code (tests and API clients read ``code``)."""
    return ValidationError({field: ValidationError(message, code=code)})


def can_write(user) -> bool:
    return getattr(user, "role", None) in WRITERS


def check_writer(actor: User | None) -> None:
    if not can_write(actor):
        raise PermissionDenied(_("Your role cannot change volunteers' records."))


def check_visible(actor: User, volunteer: Volunteer) -> None:
    """A volunteer outside the actor's subtree does not exist for them."""
    if not actor.can_see_code(volunteer.region_id):
        raise field_error("volunteer", _("No such volunteer."), "not_found")


def _village_errors(actor: User, region: Region | None) -> list[str]:
    if region is None or not actor.can_see_code(region.code):
        return [_("No such region.")]
    if region.level != Level.VILLAGE:
        return [_("A volunteer's home must be a village or community.")]
    return []


def _coordinate_errors(volunteer: Volunteer) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    bounds = {"latitude": LATITUDE_RANGE, "longitude": LONGITUDE_RANGE}
    messages = {
        "latitude": _("Enter a latitude inside China, between 3 and 54 (degrees north)."),
        "longitude": _("Enter a longitude inside China, between 73 and 136 (degrees east)."),
    }
    for name, (low, high) in bounds.items():
        value = getattr(volunteer, name)
        if value in (None, ""):
            setattr(volunteer, name, None)
            continue
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not low <= number <= high:
            errors[name] = [messages[name]]
        else:
            setattr(volunteer, name, number.quantize(Decimal("0.000001")))
    if not errors and (volunteer.latitude is None) != (volunteer.longitude is None):
        missing = "latitude" if volunteer.latitude is None else "longitude"
        errors[missing] = [_("Enter both the latitude and the longitude, or neither.")]
    return errors


def _normalise(actor: User, volunteer: Volunteer, skills: list[Skill]) -> None:
    """Check and derive every field together, so one error shows every problem."""
    errors: dict[str, list] = {}
    try:
        identity = parse_id_number(volunteer.id_number or "")
    except IdNumberError as error:
        errors["id_number"] = [error.as_validation_error()]
    else:
        volunteer.id_number = identity.number
        volunteer.id_hash = id_hash_of(identity.number)
        volunteer.birth_date = identity.birth_date
        if volunteer.gender and volunteer.gender != identity.gender:
            errors["gender"] = [_("The gender does not match the ID number.")]
        volunteer.gender = identity.gender
    try:
        volunteer.phone = parse_phone(volunteer.phone or "")
    except PhoneError as error:
        errors["phone"] = [error.as_validation_error()]
    else:
        volunteer.phone_hash = phone_hash_of(volunteer.phone)
    region = volunteer.region if volunteer.region_id else None
    if problems := _village_errors(actor, region):
        errors["region"] = problems
    errors.update(_coordinate_errors(volunteer))
    availability = volunteer.availability
    if not isinstance(availability, int) or not 0 <= availability <= ALL_WEEK:
        errors["availability"] = [_("Choose slots of the week from the grid.")]
    retired = [skill.name for skill in skills if not skill.active]
    if retired:
        errors["skills"] = [
            _("These skills are no longer in use: %(names)s.") % {"names": "、".join(retired)}
        ]
    volunteer.name = (volunteer.name or "").strip()
    volunteer.name_pinyin, volunteer.name_initials = name_keys(volunteer.name)
    try:
        derived = ["id_hash", "phone_hash", "name_pinyin", "name_initials", "birth_date"]
        if "id_number" in errors:
            derived.append("gender")  # found from the ID number, once it is right
        volunteer.full_clean(exclude=[*errors, *derived, "number"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_not_registered(actor: User, volunteer: Volunteer) -> None:
    """One person, one volunteer record. Another station's is not shown, not even its village."""
    other = Volunteer.objects.filter(id_hash=volunteer.id_hash).exclude(pk=volunteer.pk).first()
    if other is None:
        return
    if actor.can_see_code(other.region_id):
        message = _("This person is already registered here as a volunteer (%(number)s).") % {
            "number": other.number
        }
        raise field_error("id_number", message, "already_registered")
    message = _("This person is already registered as a volunteer by another station.")
    raise field_error("id_number", message, "registered_elsewhere")


def _link_resident(volunteer: Volunteer) -> None:
    """The same person's resident file, if there is one (by keyed hash; never created here)."""
    resident = Resident.objects.filter(id_hash=volunteer.id_hash).only("pk").first()
    volunteer.resident_id = resident.pk if resident else None


def _audited(volunteer: Volunteer, skills: Iterable[Skill]) -> dict:
    """What the audit log may hold: the ID number and phone masked, as elsewhere."""
    values = snapshot(volunteer, VOLUNTEER_FIELDS)
    values["id_number"] = mask_id_number(volunteer.id_number) if volunteer.id_number else ""
    values["phone"] = mask_phone(volunteer.phone) if volunteer.phone else ""
    values["skills"] = ",".join(sorted(skill.code for skill in skills))
    return values


def _skills(skills: Iterable[Skill] | None) -> list[Skill]:
    return list(dict.fromkeys(skills or ()))


def volunteer_register(*, actor: User, skills: Iterable[Skill] = (), **fields) -> Volunteer:
    """志愿者登记: register a volunteer living in a village of the actor's subtree."""
    check_writer(actor)
    unknown = set(fields) - set(VOLUNTEER_FIELDS)
    if unknown:
        raise TypeError(f"unknown volunteer fields: {sorted(unknown)}")
    skills = _skills(skills)
    volunteer = Volunteer(registered_by=actor, **fields)
    _normalise(actor, volunteer, skills)
    _check_not_registered(actor, volunteer)
    _link_resident(volunteer)
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                volunteer.number = next_number(
                    Volunteer, "V" + volunteer.region_id, width=5, field="number"
                )
                volunteer.save()
                volunteer.skills.set(skills)
                audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    obj=volunteer,
                    changes=field_changes({}, _audited(volunteer, skills)),
                )
            return volunteer
        except IntegrityError:
            # Two stations registering one person at the same moment: the loser gets the field
            # error. Two registrations in one village at once: the second takes the next number.
            volunteer.pk = None
            _check_not_registered(actor, volunteer)
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def volunteer_update(
    *, actor: User, volunteer: Volunteer, skills: Iterable[Skill] | None = None, **fields
) -> Volunteer:
    """Change a volunteer's record; an ID number or phone left out is kept."""
    check_writer(actor)
    check_visible(actor, volunteer)
    unknown = set(fields) - set(VOLUNTEER_FIELDS)
    if unknown:
        raise TypeError(f"unknown volunteer fields: {sorted(unknown)}")
    current = list(volunteer.skills.all())
    new_skills = current if skills is None else _skills(skills)
    before = _audited(volunteer, current)
    for name, value in fields.items():
        setattr(volunteer, name, value)
    # A skill retired after it was given stays with those who have it; only new ones must be
    # in use.
    _normalise(actor, volunteer, [s for s in new_skills if s not in current])
    if volunteer.status not in Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    _check_not_registered(actor, volunteer)
    _link_resident(volunteer)
    with transaction.atomic():
        volunteer.save()
        if skills is not None:
            volunteer.skills.set(new_skills)
        changes = field_changes(before, _audited(volunteer, new_skills))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=volunteer, changes=changes)
    return volunteer


def volunteer_open(*, actor: User, volunteer: Volunteer) -> Volunteer:
    """Opening a volunteer's record is a view in the audit log (found through scoping)."""
    audit_view(actor=actor, obj=volunteer, what="volunteer")
    return volunteer


def volunteer_invite(*, actor: User, volunteer: Volunteer, username: str, password: str) -> User:
    """A portal account for the volunteer (role volunteer, region their village): they sign in
    to see their own hours, points, certificate and tasks, and nothing else."""
    check_writer(actor)
    check_visible(actor, volunteer)
    if volunteer.user_id:
        raise field_error("username", _("This volunteer already has an account."), "has_account")
    username = (username or "").strip()
    user = User(
        username=username,
        region_id=volunteer.region_id,
        role=Role.VOLUNTEER,
        full_name=volunteer.name,
    )
    errors: dict[str, list] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        validate_password(password or "", user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        Volunteer.objects.filter(pk=volunteer.pk).update(user=user)
        volunteer.user = user
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=user,
            changes={
                "username": [None, user.username],
                "role": [None, user.role],
                "region": [None, user.region_id],
                "volunteer": [None, volunteer.number],
            },
        )
    return user
