"""The shared skills taxonomy (技能), edited by administrators only: it is the same for every
region and the matching of needs depends on it.

A new skill takes the next free bit of the solver's 64-bit skill mask; a skill is never
deleted, only retired (``active`` False), so its bit is never given to another skill and no
old need or offer changes meaning.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.volunteers.choices import SKILL_BITS
from wushe.volunteers.models import Skill
from wushe.volunteers.services import field_error


def _check_admin(actor: User | None) -> None:
    if actor is None or actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator can change the skills list."))


def _check(skill: Skill) -> None:
    skill.name = (skill.name or "").strip()
    skill.code = slugify(skill.code or "").replace("-", "_")
    errors: dict[str, list[str]] = {}
    try:
        skill.full_clean(exclude=["bit"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    others = Skill.objects.exclude(pk=skill.pk)
    if "name" not in errors and others.filter(name=skill.name).exists():
        errors["name"] = [_("A skill of this name already exists.")]
    if "code" not in errors and others.filter(code=skill.code).exists():
        errors["code"] = [_("A skill with this code already exists.")]
    if errors:
        raise ValidationError(errors)


def skill_create(*, actor: User, code: str, name: str) -> Skill:
    _check_admin(actor)
    skill = Skill(code=code, name=name, bit=0)
    _check(skill)
    try:
        with transaction.atomic():
            # Retired skills keep their bits: the next bit is above every bit ever given.
            used = Skill.objects.select_for_update().aggregate(top=Max("bit"))["top"]
            skill.bit = 0 if used is None else used + 1
            if skill.bit >= SKILL_BITS:
                message = _(
                    "All 64 places of the skills list have been given: bring a retired skill "
                    "back into use instead."
                )
                raise field_error("name", message, "no_bit")
            skill.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=skill,
                region_code=actor.region_id,
                changes={
                    "code": [None, skill.code],
                    "name": [None, skill.name],
                    "bit": [None, str(skill.bit)],
                },
            )
    except IntegrityError as error:  # the same name or code at the same moment
        raise ValidationError({"name": _("A skill of this name already exists.")}) from error
    return skill


def skill_update(
    *, actor: User, skill: Skill, name: str | None = None, active: bool | None = None
) -> Skill:
    """Rename or retire (or bring back) a skill; its code and bit never change."""
    _check_admin(actor)
    before = {"name": skill.name, "active": str(skill.active)}
    if name is not None:
        skill.name = name
    if active is not None:
        skill.active = bool(active)
    _check(skill)
    after = {"name": skill.name, "active": str(skill.active)}
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    try:
        with transaction.atomic():
            skill.save()
            if changes:
                audit_record(
                    actor=actor,
                    action=Action.UPDATE,
                    obj=skill,
                    region_code=actor.region_id,
                    changes=changes,
                )
    except IntegrityError as error:
        raise ValidationError({"name": _("A skill of this name already exists.")}) from error
    return skill
