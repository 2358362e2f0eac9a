"""Moving a case through its stages (接案 → 预估 → 计划 → 介入 → 评估 → 结案)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.casework.cases import REQUIRED, Stage, next_stage
from wushe.casework.models import Case, CaseRecord
from wushe.casework.services import _check_writer
from wushe.people.models import Resident

SUPERVISORS = (Role.ADMIN, Role.MANAGER)
CASE_TEXT_FIELDS = ("problem", "assessment", "plan", "evaluation", "closing_summary")


def _check_case(actor: User, case: Case) -> None:
    if not actor.can_see_code(case.region_code):
        raise ValidationError({"case": _("No such case.")}, code="not_found")
    if case.stage == Stage.CLOSED:
        raise ValidationError({"stage": _("The case is closed.")}, code="closed")


def case_open(
    *,
    actor: User,
    resident: Resident,
    problem: str,
    opened_on: date | None = None,
    worker: User | None = None,
) -> Case:
    """接案: open a case for a resident the actor can see."""
    _check_writer(actor)
    if not actor.can_see_code(resident.region_id):
        raise ValidationError({"resident": _("No such resident.")}, code="not_found")
    worker = worker or actor
    if not actor.can_see_code(worker.region_id or ""):
        raise ValidationError({"worker": _("No such user.")}, code="not_found")
    case = Case(
        resident=resident,
        worker=worker,
        problem=(problem or "").strip(),
        opened_on=opened_on or timezone.localdate(),
        region_code=resident.region_id,
    )
    if not case.problem:
        raise ValidationError({"problem": _("Describe the presenting problem.")})
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=case,
            changes={"stage": [None, Stage.INTAKE], "worker": [None, str(worker.pk)]},
        )
    return case


def case_advance(*, actor: User, case: Case, **fields) -> Case:
    """Move the case to its next stage, with the fields that stage requires. Closing (结案)
    needs a supervisor (station manager or administrator) to sign off."""
    _check_writer(actor)
    _check_case(actor, case)
    target = next_stage(case.stage)
    unknown = set(fields) - {*CASE_TEXT_FIELDS, "closed_on"}
    if unknown:
        raise TypeError(f"unknown case fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    errors = {
        name: [_("This is required to enter the stage “%(stage)s”.") % {"stage": target.label}]
        for name in REQUIRED[target]
        if not getattr(case, name)
    }
    if target == Stage.EVALUATION and not case.records.exists():
        errors["records"] = [_("Record at least one service before evaluation.")]
    if target == Stage.CLOSED:
        if actor.role not in SUPERVISORS:
            raise PermissionDenied(_("A supervisor signs off the closing of a case."))
        case.closed_on = case.closed_on or timezone.localdate()
        case.signed_off_by = actor
        if case.closed_on < case.opened_on:
            errors["closed_on"] = [_("A case cannot close before it opened.")]
    if errors:
        raise ValidationError(errors)
    before = case.stage
    case.stage = target
    case.full_clean()
    with transaction.atomic():
        case.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            changes={
                "stage": [before, target.value],
                **{name: [None, "***"] for name in fields if name in CASE_TEXT_FIELDS},
            },
        )
    return case


def case_record_service(
    *, actor: User, case: Case, served_on: date, minutes: int, method: str, notes: str = ""
) -> CaseRecord:
    """个案服务记录 on an open case."""
    _check_writer(actor)
    _check_case(actor, case)
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": _("A service cannot be in the future.")})
    if served_on < case.opened_on:
        raise ValidationError({"served_on": _("A service cannot come before the case opened.")})
    record = CaseRecord(
        case=case,
        served_on=served_on,
        minutes=minutes,
        method=method,
        notes=notes,
        worker=actor,
        region_code=case.region_code,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=record,
            region_code=case.region_code,
            changes={
                "case": [None, str(case.pk)],
                "minutes": [None, str(minutes)],
                "method": [None, method],
            },
        )
    return record
