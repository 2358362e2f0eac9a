"""Registering social organisations (社会组织) and their incubation (孵化).

Who may do what:

- social workers, station managers and administrators register an organisation, keep its
  details and service areas, and record it entering or leaving an incubation base (keeping
  the resources list is daily station work);
- only station managers and administrators change its status (suspended, deregistered): that
  records a decision of the registering authority, which someone answerable must confirm;
- auditors read and change nothing. An organisation is never deleted: it is deregistered, so
  the history of what it did stays.

Each write checks the role and the actor's subtree, checks every field together (one error
lists every problem, each under its field), and saves with its audit entry in one
transaction, so a refused write leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, field_changes
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import CODE_OPTIONAL_TYPES, OrganisationStatus
from wushe.organisations.credit_codes import CreditCodeError, parse_credit_code
from wushe.organisations.models import IncubationPeriod, Organisation, OrganisationService
from wushe.people.phones import PhoneError, parse_phone
from wushe.regions.models import Region, Site

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
SUPERVISORS = (Role.ADMIN, Role.MANAGER)
ORGANISATION_FIELDS = (
    "name",
    "credit_code",
    "kind",
    "region",
    "contact_person",
    "contact_phone",
    "address",
    "founded_on",
    "status",
    "note",
)
AUDITED = (*ORGANISATION_FIELDS, "service_areas")


def can_write(user) -> bool:
    return getattr(user, "role", None) in WRITERS


def can_supervise(user) -> bool:
    return getattr(user, "role", None) in SUPERVISORS


def check_writer(actor: User | None) -> None:
    if not can_write(actor):
        raise PermissionDenied(_("Your role cannot change social organisations."))


def check_organisation(actor: User, organisation: Organisation) -> None:
    if not actor.can_see_code(organisation.region_id):
        raise ValidationError({"organisation": _("No such organisation.")}, code="not_found")


def _snapshot(organisation: Organisation, areas: Iterable[str]) -> dict:
    values = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS if name != "region"}
    values["region"] = organisation.region_id
    values["service_areas"] = ",".join(sorted(areas))
    return values


def _changes(before: dict, after: dict) -> dict:
    # The contact phone is not a served person's, but it may be someone's mobile: masked in
    # the log like every phone.
    return field_changes(before, after, personal=("contact_phone",))


def _normalise(organisation: Organisation, errors: dict[str, list]) -> None:
    """Credit code and phone to their canonical forms; text trimmed."""
    organisation.name = (organisation.name or "").strip()
    organisation.contact_person = (organisation.contact_person or "").strip()
    organisation.address = (organisation.address or "").strip()
    code = (organisation.credit_code or "").strip()
    organisation.credit_code = ""
    if code:
        try:
            organisation.credit_code = parse_credit_code(code)
        except CreditCodeError as error:
            errors["credit_code"] = [error.as_validation_error()]
    elif organisation.kind and organisation.kind not in CODE_OPTIONAL_TYPES:
        errors["credit_code"] = [
            _("Enter the unified social credit code: only a community organisation may lack one.")
        ]
    phone = (organisation.contact_phone or "").strip()
    organisation.contact_phone = ""
    if phone:
        try:
            organisation.contact_phone = parse_phone(phone)
        except PhoneError as error:
            errors["contact_phone"] = [error.as_validation_error()]


def _area_errors(areas: Iterable[str] | None) -> list[str]:
    if areas is None:
        return []
    areas = list(areas)
    if not areas:
        return [_("Choose at least one service area.")]
    unknown = sorted(set(areas) - set(ServiceArea.values))
    if unknown:
        return [_("Unknown service area: %(names)s.") % {"names": ", ".join(unknown)}]
    return []


def _check(
    actor: User, organisation: Organisation, region: Region | None, areas: list[str] | None
) -> None:
    errors: dict[str, list] = {}
    if region is None or not actor.can_see_code(region.code):
        errors["region"] = [_("No such region.")]
    _normalise(organisation, errors)
    if problems := _area_errors(areas):
        errors["service_areas"] = problems
    if organisation.founded_on and organisation.founded_on > timezone.localdate():
        errors["founded_on"] = [_("This date cannot be in the future.")]
    try:
        organisation.full_clean(exclude=[*errors, "created_by"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if not errors.get("credit_code") and organisation.credit_code:
        others = Organisation.objects.filter(credit_code=organisation.credit_code)
        if others.exclude(pk=organisation.pk).exists():
            errors["credit_code"] = [
                _("An organisation with this credit code is already registered.")
            ]
    if errors:
        raise ValidationError(errors)


def _set_areas(organisation: Organisation, areas: list[str]) -> None:
    organisation.service_areas.exclude(area__in=areas).delete()
    have = set(organisation.service_areas.values_list("area", flat=True))
    OrganisationService.objects.bulk_create(
        OrganisationService(organisation=organisation, area=area)
        for area in sorted(set(areas) - have)
    )


def _check_fields_known(fields: dict) -> None:
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")


def _duplicate(error: IntegrityError) -> ValidationError:
    """Another request registered the same code between the check and the save."""
    if "credit_code" in str(error) or "organisation_credit_code_once" in str(error):
        message = _("An organisation with this credit code is already registered.")
        return ValidationError({"credit_code": [message]})
    raise error


def organisation_register(
    *, actor: User, service_areas: Iterable[str] = (), **fields
) -> Organisation:
    """登记社会组织: a new organisation of a region in the actor's subtree, with at least one
    service area. A status other than active needs a manager or administrator."""
    check_writer(actor)
    _check_fields_known(fields)
    areas = list(service_areas)
    organisation = Organisation(created_by=actor, **fields)
    if organisation.status != OrganisationStatus.ACTIVE and not can_supervise(actor):
        raise PermissionDenied(
            _("Only a manager or administrator changes an organisation's status.")
        )
    _check(actor, organisation, fields.get("region"), areas)
    try:
        with transaction.atomic():
            organisation.save()
            _set_areas(organisation, areas)
            changes = _changes({}, _snapshot(organisation, areas))
            audit_record(actor=actor, action=Action.CREATE, obj=organisation, changes=changes)
    except IntegrityError as error:
        organisation.pk = None
        raise _duplicate(error) from error
    return organisation


def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    service_areas: Iterable[str] | None = None,
    **fields,
) -> Organisation:
    """Change an organisation; only the fields given (``service_areas`` replaces the list)."""
    check_writer(actor)
    check_organisation(actor, organisation)
    _check_fields_known(fields)
    if "status" in fields and fields["status"] != organisation.status and not can_supervise(actor):
        raise PermissionDenied(
            _("Only a manager or administrator changes an organisation's status.")
        )
    old_areas = list(organisation.service_areas.values_list("area", flat=True))
    areas = None if service_areas is None else list(service_areas)
    before = _snapshot(organisation, old_areas)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _check(actor, organisation, fields.get("region", organisation.region), areas)
    try:
        with transaction.atomic():
            organisation.save()
            if areas is not None:
                _set_areas(organisation, areas)
            organisation.incubations.update(region_code=organisation.region_id)
            after = _snapshot(organisation, old_areas if areas is None else areas)
            if changes := _changes(before, after):
                audit_record(actor=actor, action=Action.UPDATE, obj=organisation, changes=changes)
    except IntegrityError as error:
        raise _duplicate(error) from error
    return organisation


# Incubation -------------------------------------------------------------------------------------


def open_incubation(organisation: Organisation) -> IncubationPeriod | None:
    return organisation.incubations.filter(left_on__isnull=True).first()


def _base_errors(actor: User, site: Site | None, base_name: str) -> dict[str, list[str]]:
    if site is not None and not actor.can_see_code(site.region_id):
        return {"site": [_("No such site.")]}
    if site is not None and base_name:
        return {"base_name": [_("Choose a site or name the base, not both.")]}
    if site is None and not base_name:
        return {"site": [_("Choose the incubation base, or name it if it is not a site.")]}
    return {}


def _day_errors(name: str, day: date | None) -> dict[str, list[str]]:
    if day is None:
        return {name: [_("Enter a date.")]}
    if day > timezone.localdate():
        return {name: [_("This date cannot be in the future.")]}
    return {}


def incubation_enter(
    *,
    actor: User,
    organisation: Organisation,
    entered_on: date | None,
    site: Site | None = None,
    base_name: str = "",
    note: str = "",
) -> IncubationPeriod:
    """入驻孵化基地: the organisation entered a base on ``entered_on``; it must not be in one
    already, and the day must come after its last period ended."""
    check_writer(actor)
    check_organisation(actor, organisation)
    base_name = (base_name or "").strip()
    errors = _base_errors(actor, site, base_name) | _day_errors("entered_on", entered_on)
    if organisation.status == OrganisationStatus.DEREGISTERED:
        errors.setdefault("entered_on", []).append(
            _("A deregistered organisation cannot enter an incubation base.")
        )
    if open_incubation(organisation) is not None:
        errors.setdefault("entered_on", []).append(
            _("The organisation is already in an incubation base: record it leaving first.")
        )
    last = organisation.incubations.exclude(left_on=None).order_by("-left_on").first()
    if last is not None and entered_on is not None and entered_on < last.left_on:
        errors.setdefault("entered_on", []).append(
            _("The organisation's last incubation ended on %(day)s: enter that day or later.")
            % {"day": last.left_on.isoformat()}
        )
    period = IncubationPeriod(
        organisation=organisation,
        site=site,
        base_name=base_name,
        entered_on=entered_on,
        note=(note or "").strip(),
        region_code=organisation.region_id,
        recorded_by=actor,
    )
    if not errors:
        try:
            period.full_clean(exclude=["organisation", "recorded_by"], validate_constraints=False)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        period.save()
        changes = {"incubation": [None, f"{period.base} {entered_on.isoformat()}"]}
        audit_record(actor=actor, action=Action.UPDATE, obj=organisation, changes=changes)
    return period


def incubation_leave(
    *, actor: User, organisation: Organisation, left_on: date | None
) -> IncubationPeriod:
    """出壳: the organisation left its incubation base on ``left_on``."""
    check_writer(actor)
    check_organisation(actor, organisation)
    period = open_incubation(organisation)
    errors = _day_errors("left_on", left_on)
    if period is None:
        errors = {"left_on": [_("The organisation is not in an incubation base.")]}
    elif left_on is not None and left_on < period.entered_on:
        errors.setdefault("left_on", []).append(
            _("It entered the base on %(day)s: it cannot leave before.")
            % {"day": period.entered_on.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        period.left_on = left_on
        period.save(update_fields=["left_on"])
        changes = {"incubation": [f"{period.base} {period.entered_on.isoformat()}", None]}
        changes["incubation_left_on"] = [None, left_on.isoformat()]
        audit_record(actor=actor, action=Action.UPDATE, obj=organisation, changes=changes)
    return period
