"""Moving a case through its stages (接案 → 预估 → 计划 → 介入 → 评估 → 结案).

The statistics tallies move in the same transactions: ``cases_opened`` on the day a case opens,
``cases_closed`` on the day it closes (a closed case is never re-opened), and a service record
counts in ``case_records`` and ``person_times`` on its date, all under the case's village.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view
from wushe.casework.cases import REQUIRED, Stage, next_stage
from wushe.casework.models import Case, CaseRecord
from wushe.casework.scoping import can_see_work
from wushe.casework.services import SUPERVISORS, _check_writer
from wushe.people.models import Resident
from wushe.statistics.tallies import tally

CASE_TEXT_FIELDS = ("problem", "assessment", "plan", "evaluation", "closing_summary")
MAX_MINUTES = 24 * 60  # one record is one piece of service on one day


def _check_case(actor: User, case: Case) -> None:
    if not can_see_work(actor, case.region_code, case.resident):
        raise ValidationError({"case": _("No such case.")}, code="not_found")
    if case.stage == Stage.CLOSED:
        raise ValidationError({"stage": _("The case is closed.")}, code="closed")


def _lock_unchanged(case: Case, stage: str) -> None:
    """Inside the transaction: lock the case's row and refuse if someone moved it meanwhile
    (two people advancing one case at once must not both write, nor close it twice)."""
    rows = Case.objects.select_for_update().filter(pk=case.pk).values_list("stage", flat=True)
    if rows.first() != stage:
        raise ValidationError(
            {"stage": _("Someone else changed this case meanwhile. Reload it and try again.")},
            code="changed",
        )


def case_view(*, actor: User, case: Case) -> Case:
    """Opening a case (what it says about the person) is a view in the audit log."""
    audit_view(actor=actor, obj=case, what="case")
    return case


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
    errors = {}
    if not case.problem:
        errors["problem"] = [_("Describe the presenting problem.")]
    if case.opened_on > timezone.localdate():
        errors["opened_on"] = [_("A case cannot open in the future.")]
    if errors:
        raise ValidationError(errors)
    case.full_clean()
    with transaction.atomic():
        case.save()
        tally(case.region_code, case.opened_on, cases_opened=1)
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
    if "closed_on" in fields and target != Stage.CLOSED:
        raise TypeError("closed_on is given only when the case closes")
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
        elif case.closed_on > timezone.localdate():
            errors["closed_on"] = [_("A case cannot close in the future.")]
    if errors:
        raise ValidationError(errors)
    before = case.stage
    case.stage = target
    case.full_clean()
    with transaction.atomic():
        _lock_unchanged(case, before)
        case.save()
        if target == Stage.CLOSED:
            tally(case.region_code, case.closed_on, cases_closed=1)
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
    errors = {}
    if served_on > timezone.localdate():
        errors["served_on"] = [_("A service cannot be in the future.")]
    elif served_on < case.opened_on:
        errors["served_on"] = [_("A service cannot come before the case opened.")]
    if isinstance(minutes, int) and minutes > MAX_MINUTES:
        errors["minutes"] = [
            _("One record covers at most one day (%(max)s minutes).") % {"max": MAX_MINUTES}
        ]
    if errors:
        raise ValidationError(errors)
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
        _lock_unchanged(case, case.stage)  # a record never lands on a case closed meanwhile
        record.save()
        tally(record.region_code, record.served_on, case_records=1, person_times=1)
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
