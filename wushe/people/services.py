"""Filing and changing residents' files (建档). Pages, the API and the import call these."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view
from wushe.core.crypto import lookup_hash
from wushe.people.choices import CONSENT_AGE, Category, ConsentGiver
from wushe.people.identity import IdNumberError, mask_id_number, parse_id_number
from wushe.people.models import Consent, Resident, ResidentCategory
from wushe.people.phones import PhoneError, mask_phone, parse_phone
from wushe.regions.codes import Level
from wushe.regions.models import Region
from wushe.statistics import filed

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
UNMASKERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
RESIDENT_FIELDS = (
    "name",
    "gender",
    "id_number",
    "phone",
    "region",
    "address",
    "disability_grade",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "risk_level",
    "notes",
    "health_notes",
    "household",
    "relation",
    "station",
)
AUDITED = (*RESIDENT_FIELDS, "categories")


def id_hash_of(number: str) -> str:
    return lookup_hash("id_number", number)


def phone_hash_of(canonical: str) -> str:
    return lookup_hash("phone", canonical) if canonical else ""


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) for search: 张三丰 → zhangsanfeng, zsf."""
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(syllables).lower(), "".join(initials).lower()


def _check_writer(actor: User | None) -> None:
    if actor is None or actor.role not in WRITERS:
        raise PermissionDenied(_("Your role cannot change residents' files."))


def _check_village(actor: User, region: Region | None) -> None:
    if region is None or not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")
    if region.level != Level.VILLAGE:
        raise ValidationError(
            {"region": _("A resident's home must be a village or community.")},
            code="wrong_level",
        )


def _masked(resident: Resident, categories: Iterable[str]) -> dict[str, str | None]:
    """What the audit log may hold of a file: personal fields masked, health notes never."""
    values = {}
    for name in RESIDENT_FIELDS:
        field = Resident._meta.get_field(name)
        values[name] = getattr(resident, field.attname)
    values["id_number"] = mask_id_number(resident.id_number) if resident.id_number else ""
    for name in ("phone", "guardian_phone"):
        values[name] = mask_phone(values[name]) if values[name] else ""
    values["health_notes"] = "***" if resident.health_notes else ""
    values["categories"] = ",".join(sorted(categories))
    return {key: (None if value is None else str(value)) for key, value in values.items()}


def _changes(before: dict, after: dict) -> dict[str, list[str | None]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _normalise(resident: Resident, categories: list[str]) -> None:
    """Check and derive: ID → birth date, gender; phones canonical; categories known."""
    errors: dict[str, list] = {}
    try:
        identity = parse_id_number(resident.id_number or "")
    except IdNumberError as error:
        errors["id_number"] = [error.as_validation_error()]
    else:
        resident.id_number = identity.number
        resident.id_hash = id_hash_of(identity.number)
        resident.birth_date = identity.birth_date
        if resident.gender and resident.gender != identity.gender:
            errors["gender"] = [_("The gender does not match the ID number.")]
        resident.gender = identity.gender
    for name in ("phone", "guardian_phone"):
        raw = getattr(resident, name)
        if raw:
            try:
                setattr(resident, name, parse_phone(raw))
            except PhoneError as error:
                errors[name] = [error.as_validation_error()]
    resident.phone_hash = phone_hash_of(resident.phone)
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        errors["categories"] = [_("Unknown category: %(names)s.") % {"names": ", ".join(unknown)}]
    disabled = Category.DISABLED in categories
    if disabled and resident.disability_grade is None:
        errors["disability_grade"] = [_("A person with disability needs a grade from 1 to 4.")]
    if not disabled and resident.disability_grade is not None:
        errors["disability_grade"] = [_("Only a person with disability has a grade.")]
    resident.name = (resident.name or "").strip()
    resident.name_pinyin, resident.name_initials = name_keys(resident.name)
    if errors:
        raise ValidationError(errors)


def _check_fields(
    actor: User, resident: Resident, region: Region | None, categories: list[str]
) -> None:
    """The village and every field checked together, so one error shows every problem."""
    errors: dict[str, list] = {}
    for check in (lambda: _check_village(actor, region), lambda: _normalise(resident, categories)):
        try:
            check()
        except ValidationError as error:
            for name, messages in error.error_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_not_filed(actor: User, resident: Resident) -> None:
    """One person, one file. Another station's file is not shown, not even its village."""
    other = Resident.objects.filter(id_hash=resident.id_hash).exclude(pk=resident.pk).first()
    if other is None:
        return
    if actor.can_see_code(other.region_id):
        message = _("This person already has a file here (%(name)s).") % {"name": other.name}
        raise ValidationError({"id_number": ValidationError(message, code="already_filed")})
    message = _(
        "This person is already filed by another station. "
        "You can ask for the file to be transferred to you."
    )
    raise ValidationError({"id_number": ValidationError(message, code="filed_elsewhere")})


def _active_consent(resident: Resident) -> Consent | None:
    if resident.pk is None:
        return None
    return resident.consents.filter(withdrawn_at__isnull=True).first()


def _check_consent(resident: Resident, *, sensitive_changed: bool, consent: Consent | None):
    if sensitive_changed and resident.health_notes and consent is None:
        raise ValidationError(
            {
                "health_notes": _(
                    "Health notes are saved only with a recorded consent of the resident "
                    "(or of the guardian, under 14)."
                )
            },
            code="no_consent",
        )


def _new_consent(actor: User, resident: Resident, data: dict | None) -> Consent | None:
    if not data:
        return None
    consent = Consent(resident=resident, recorded_by=actor, region_code=resident.region_id, **data)
    if (
        resident.birth_date
        and resident.age_on(consent.given_on) < CONSENT_AGE
        and consent.given_by != ConsentGiver.GUARDIAN
    ):
        raise ValidationError(
            {"given_by": _("For a child under 14 the guardian gives consent.")},
            code="guardian_consent",
        )
    consent.full_clean(exclude=["resident"])
    return consent


def resident_file(
    *, actor: User, categories: Iterable[str] = (), consent: dict | None = None, **fields
) -> Resident:
    """建档: open a file for a resident of a village in the actor's subtree."""
    _check_writer(actor)
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown resident fields: {sorted(unknown)}")
    categories = sorted(set(categories))
    resident = Resident(**fields)
    _check_fields(actor, resident, fields.get("region"), categories)
    _check_not_filed(actor, resident)
    new_consent = _new_consent(actor, resident, consent)
    _check_consent(resident, sensitive_changed=True, consent=new_consent)
    resident.full_clean(exclude=["id_hash", "name_pinyin", "name_initials"])
    try:
        with transaction.atomic():
            resident.save()
            _set_categories(resident, categories)
            filed.move(None, filed.state(resident, categories))  # 建档人数
            if new_consent is not None:
                new_consent.resident = resident
                new_consent.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=resident,
                changes=_changes({}, _masked(resident, categories)),
            )
    except IntegrityError:
        # Two stations filing one person at the same moment: the loser gets the field error.
        resident.pk = None
        _check_not_filed(actor, resident)
        raise
    return resident


def resident_update(
    *, actor: User, resident: Resident, categories: Iterable[str] | None = None, **fields
) -> Resident:
    _check_writer(actor)
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown resident fields: {sorted(unknown)}")
    current = sorted(resident.categories.values_list("category", flat=True))
    categories = current if categories is None else sorted(set(categories))
    before = _masked(resident, current)
    old_health = resident.health_notes
    for name, value in fields.items():
        setattr(resident, name, value)
    _check_fields(actor, resident, resident.region, categories)
    _check_not_filed(actor, resident)
    _check_consent(
        resident,
        sensitive_changed=resident.health_notes != old_health,
        consent=_active_consent(resident),
    )
    resident.full_clean(exclude=["id_hash", "name_pinyin", "name_initials"])
    with transaction.atomic():
        counted = filed.counted(resident.pk)  # 建档人数: from what the database holds, locked
        resident.save()
        if categories != current:
            _set_categories(resident, categories)
        ResidentCategory.objects.filter(resident=resident).update(region_code=resident.region_id)
        filed.move(counted, filed.state(resident, categories))
        changes = _changes(before, _masked(resident, categories))
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=resident, changes=changes)
    return resident


def _set_categories(resident: Resident, categories: list[str]) -> None:
    ResidentCategory.objects.filter(resident=resident).exclude(category__in=categories).delete()
    have = set(resident.categories.values_list("category", flat=True))
    ResidentCategory.objects.bulk_create(
        ResidentCategory(resident=resident, category=c, region_code=resident.region_id)
        for c in categories
        if c not in have
    )


def resident_open(*, actor: User, resident: Resident) -> Resident:
    """Opening a file is a view in the audit log (the caller fetched it through scoping)."""
    audit_view(actor=actor, obj=resident, what="file")
    return resident


def resident_unmask(*, actor: User, resident: Resident, field: str) -> str:
    """The full ID number or phone, for a role that may see it; recorded as a view."""
    if field not in ("id_number", "phone", "guardian_phone"):
        raise ValueError(field)
    if actor.role not in UNMASKERS:
        raise PermissionDenied(_("Your role cannot see personal numbers in full."))
    audit_view(actor=actor, obj=resident, what=f"unmask {field}")
    return getattr(resident, field)


def consent_record(*, actor: User, resident: Resident, **data) -> Consent:
    _check_writer(actor)
    consent = _new_consent(actor, resident, data)
    with transaction.atomic():
        consent.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=consent,
            region_code=resident.region_id,
            changes={
                "consent": [None, f"{consent.given_by} {consent.method} {consent.text_version}"]
            },
        )
    return consent


def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    """Withdrawal (PIPL art. 15): sensitive fields cannot be written again until a new
    consent is recorded."""
    _check_writer(actor)
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=consent,
            region_code=consent.region_code,
            changes={"withdrawn_at": [None, consent.withdrawn_at.isoformat()]},
        )
    return consent
