"""Registering social workers (社会工作者) and their trainings (培训).

Who may do what:

- station managers and administrators register a social worker and change their record
  (site, certificate, employment, supervisor, stars, leaving): it is the station's staff
  register, kept by whoever answers for the station;
- social workers, managers and administrators record and remove trainings (a worker records
  the trainings they and their colleagues attended);
- the full ID number or phone of a social worker is shown, and recorded as a view, to the
  roles that may unmask a resident's (``people.services.UNMASKERS``);
- auditors read and change nothing.

Each write checks the role and the actor's subtree, checks every field together (one error
lists every problem, each under its field), and saves with its audit entry (personal numbers
masked) in one transaction, so a refused write leaves nothing behind.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view, field_changes
from wushe.people.identity import IdNumberError, parse_id_number
from wushe.people.phones import PhoneError, parse_phone
from wushe.people.services import UNMASKERS, id_hash_of, phone_hash_of
from wushe.regions.models import Site
from wushe.workers.choices import FIRST_EXAM_YEAR, CertificateLevel, WorkerStatus
from wushe.workers.models import SocialWorker, Training

REGISTRARS = (Role.ADMIN, Role.MANAGER)
TRAINERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
WORKER_FIELDS = (
    "name",
    "gender",
    "id_number",
    "phone",
    "site",
    "user",
    "certificate_level",
    "certificate_number",
    "certificate_year",
    "employment",
    "education",
    "major",
    "is_supervisor",
    "stars",
    "status",
    "joined_on",
    "left_on",
)
TRAINING_FIELDS = ("title", "provider", "held_on", "hours")
UNMASKABLE = ("id_number", "phone")


def can_register(user) -> bool:
    return getattr(user, "role", None) in REGISTRARS


def can_record_training(user) -> bool:
    return getattr(user, "role", None) in TRAINERS


def can_unmask(user) -> bool:
    return getattr(user, "role", None) in UNMASKERS


def check_registrar(actor: User | None) -> None:
    if not can_register(actor):
        raise PermissionDenied(_("Your role cannot change the register of social workers."))


def check_worker(actor: User, worker: SocialWorker) -> None:
    if not actor.can_see_code(worker.region_code):
        raise ValidationError({"worker": _("No such social worker.")}, code="not_found")


def _snapshot(worker: SocialWorker) -> dict:
    values = {name: getattr(worker, name) for name in WORKER_FIELDS if name not in ("site", "user")}
    values["site"] = worker.site_id
    values["user"] = worker.user_id
    return values


def _changes(before: dict, after: dict) -> dict:
    return field_changes(before, after, personal=SocialWorker.PERSONAL_FIELDS)


def _normalise_numbers(worker: SocialWorker, errors: dict[str, list]) -> None:
    """ID number and phone to their canonical forms and keyed hashes; the gender from the ID."""
    number = (worker.id_number or "").strip()
    worker.id_number, worker.id_hash = "", ""
    if number:
        try:
            identity = parse_id_number(number)
        except IdNumberError as error:
            errors["id_number"] = [error.as_validation_error()]
        else:
            worker.id_number = identity.number
            worker.id_hash = id_hash_of(identity.number)
            if worker.gender and worker.gender != identity.gender:
                errors["gender"] = [_("The gender does not match the ID number.")]
            worker.gender = identity.gender
    phone = (worker.phone or "").strip()
    worker.phone = ""
    if phone:
        try:
            worker.phone = parse_phone(phone)
        except PhoneError as error:
            errors["phone"] = [error.as_validation_error()]
    worker.phone_hash = phone_hash_of(worker.phone)


def _certificate_errors(worker: SocialWorker) -> dict[str, list[str]]:
    """A level comes with its number and year; no level, neither."""
    errors: dict[str, list[str]] = {}
    worker.certificate_number = (worker.certificate_number or "").strip()
    year = worker.certificate_year
    if worker.certificate_level == CertificateLevel.NONE:
        if worker.certificate_number:
            errors["certificate_number"] = [_("Only a certified social worker has a number.")]
        if year is not None:
            errors["certificate_year"] = [_("Only a certified social worker has a year.")]
        return errors
    if not worker.certificate_number:
        errors["certificate_number"] = [_("Enter the certificate number.")]
    this_year = timezone.localdate().year
    if year is None:
        errors["certificate_year"] = [_("Enter the year the certificate was obtained.")]
    elif not FIRST_EXAM_YEAR <= year <= this_year:
        errors["certificate_year"] = [
            _("The year is between %(first)s (the first national examination) and %(now)s.")
            % {"first": FIRST_EXAM_YEAR, "now": this_year}
        ]
    return errors


def _service_errors(worker: SocialWorker) -> dict[str, list[str]]:
    """Joining and leaving dates, and the status they imply."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if worker.joined_on and worker.joined_on > today:
        errors["joined_on"] = [_("This date cannot be in the future.")]
    if worker.left_on is not None:
        if worker.left_on > today:
            errors["left_on"] = [_("This date cannot be in the future.")]
        elif worker.joined_on and worker.left_on < worker.joined_on:
            errors["left_on"] = [_("A social worker cannot leave before joining.")]
        if worker.status != WorkerStatus.LEFT:
            errors["status"] = [_("A social worker with a leaving date has left: choose “Left”.")]
    elif worker.status == WorkerStatus.LEFT:
        errors["left_on"] = [_("Give the date the social worker left.")]
    return errors


def _site_errors(actor: User, site: Site | None) -> list[str]:
    if site is None or not actor.can_see_code(site.region_id):
        return [_("No such site.")]
    return []


def _user_errors(actor: User, worker: SocialWorker, user: User | None) -> list[str]:
    if user is None:
        return []
    if user.is_volunteer or not actor.can_see_code(user.region_id or ""):
        return [_("No such user.")]
    taken = SocialWorker.objects.filter(user=user).exclude(pk=worker.pk)
    if taken.exists():
        return [_("This account already belongs to another social worker.")]
    return []


def _check(actor: User, worker: SocialWorker) -> None:
    errors: dict[str, list] = {}
    worker.name = (worker.name or "").strip()
    worker.major = (worker.major or "").strip()
    _normalise_numbers(worker, errors)
    site = worker.site if worker.site_id else None
    if problems := _site_errors(actor, site):
        errors["site"] = problems
    else:
        worker.region_code = site.region_id
    if problems := _user_errors(actor, worker, worker.user if worker.user_id else None):
        errors["user"] = problems
    for name, problems in (_certificate_errors(worker) | _service_errors(worker)).items():
        errors.setdefault(name, []).extend(problems)
    try:
        worker.full_clean(exclude=[*errors, "created_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if worker.id_hash and not errors.get("id_number"):
        if SocialWorker.objects.filter(id_hash=worker.id_hash).exclude(pk=worker.pk).exists():
            errors["id_number"] = [_("This person is already registered as a social worker.")]
    if errors:
        raise ValidationError(errors)


def _check_fields_known(fields: dict) -> None:
    unknown = set(fields) - set(WORKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown social worker fields: {sorted(unknown)}")


def _duplicate(error: IntegrityError) -> ValidationError:
    """Another request registered the same person or account between the check and the save."""
    text = str(error)
    if "id_hash" in text or "social_worker_one_per_person" in text:
        message = _("This person is already registered as a social worker.")
        return ValidationError({"id_number": [message]})
    if "user" in text:
        message = _("This account already belongs to another social worker.")
        return ValidationError({"user": [message]})
    raise error


def worker_register(*, actor: User, **fields) -> SocialWorker:
    """登记社会工作者: a new worker at a site in the actor's subtree."""
    check_registrar(actor)
    _check_fields_known(fields)
    worker = SocialWorker(created_by=actor, **fields)
    _check(actor, worker)
    try:
        with transaction.atomic():
            worker.save()
            changes = _changes({}, _snapshot(worker))
            audit_record(actor=actor, action=Action.CREATE, obj=worker, changes=changes)
    except IntegrityError as error:
        worker.pk = None
        raise _duplicate(error) from error
    return worker


def worker_update(*, actor: User, worker: SocialWorker, **fields) -> SocialWorker:
    """Change a worker's record; only the fields given. An ID number or phone left out keeps
    what is on file; given as "" it is removed."""
    check_registrar(actor)
    check_worker(actor, worker)
    _check_fields_known(fields)
    before = _snapshot(worker)
    for name, value in fields.items():
        setattr(worker, name, value)
    _check(actor, worker)
    try:
        with transaction.atomic():
            worker.save()
            worker.trainings.update(region_code=worker.region_code)
            if changes := _changes(before, _snapshot(worker)):
                audit_record(actor=actor, action=Action.UPDATE, obj=worker, changes=changes)
    except IntegrityError as error:
        raise _duplicate(error) from error
    return worker


def worker_open(*, actor: User, worker: SocialWorker) -> SocialWorker:
    """Opening a worker's record is a view in the audit log (the caller fetched it in scope)."""
    audit_view(actor=actor, obj=worker, what="social worker")
    return worker


def worker_unmask(*, actor: User, worker: SocialWorker, field: str) -> str:
    """A worker's full ID number or phone, for a role that may see it; recorded as a view."""
    if field not in UNMASKABLE:
        raise ValueError(field)
    check_worker(actor, worker)
    if not can_unmask(actor):
        raise PermissionDenied(_("Your role cannot see personal numbers in full."))
    audit_view(actor=actor, obj=worker, what=f"unmask {field}")
    return getattr(worker, field)


# Trainings --------------------------------------------------------------------------------------


def check_trainer(actor: User | None) -> None:
    if not can_record_training(actor):
        raise PermissionDenied(_("Your role cannot record trainings."))


def training_add(
    *,
    actor: User,
    worker: SocialWorker,
    title: str,
    held_on: date | None,
    hours,
    provider: str = "",
) -> Training:
    """参加培训: a training the worker took part in, with its hours (more than 0)."""
    check_trainer(actor)
    check_worker(actor, worker)
    training = Training(
        worker=worker,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        held_on=held_on,
        hours=hours,
        region_code=worker.region_code,
        recorded_by=actor,
    )
    errors: dict[str, list] = {}
    if held_on is not None and held_on > timezone.localdate():
        errors["held_on"] = [_("This date cannot be in the future.")]
    try:
        training.full_clean(exclude=[*errors, "worker", "recorded_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        training.save()
        changes = {"training": [None, f"{training.title} {held_on.isoformat()} {training.hours}h"]}
        audit_record(actor=actor, action=Action.UPDATE, obj=worker, changes=changes)
    return training


def training_delete(*, actor: User, training: Training) -> None:
    """A training recorded by mistake."""
    check_trainer(actor)
    worker = training.worker
    check_worker(actor, worker)
    with transaction.atomic():
        changes = {
            "training": [f"{training.title} {training.held_on.isoformat()} {training.hours}h", None]
        }
        training.delete()
        audit_record(actor=actor, action=Action.UPDATE, obj=worker, changes=changes)
