"""Recording service work. Pages, the API and imports call these with an explicit actor.

Every write that changes a counted record moves the statistics tallies in its own transaction
(``wushe.statistics.tallies.tally``): a visit counts once in ``visits`` and once in
``person_times`` in the month of its date and under its own village.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record, audit_view
from wushe.casework.models import HomeVisit, VisitFrequency
from wushe.casework.scoping import can_see_work
from wushe.people.models import Resident
from wushe.people.services import UNMASKERS
from wushe.regions.models import Region
from wushe.statistics.tallies import tally

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)
# Station managers and administrators: they sign off a case's closing, set visit frequencies
# and may delete any visit in their subtree.
SUPERVISORS = (Role.ADMIN, Role.MANAGER)
VISIT_FIELDS = ("visited_on", "findings", "needs_found", "next_visit_on")


def can_read_notes(user: User) -> bool:
    """Findings and case notes are read by the roles that may read a resident's health notes
    (not by auditors, who see that something was written)."""
    return user.role in UNMASKERS


def _check_writer(actor: User | None) -> None:
    if actor is None or actor.role not in WRITERS:
        raise PermissionDenied(_("Your role cannot record service work."))


def _check_visit_fields(
    actor: User, visit: HomeVisit, workers: list[User], named: list[User] | None = None
) -> None:
    """Every problem of a visit's fields at once, each under its field. ``named`` are the
    workers the actor names now (default: all); each must be someone the actor can see."""
    errors = {}
    named = workers if named is None else named
    if not workers:
        errors["workers"] = [_("Name at least one worker.")]
    elif any(not actor.can_see_code(w.region_id or "") for w in named):
        errors["workers"] = [_("No such user.")]
    if visit.visited_on is None:
        errors["visited_on"] = [_("This field is required.")]
    elif visit.visited_on > timezone.localdate():
        errors["visited_on"] = [_("A visit cannot be in the future.")]
    elif visit.next_visit_on is not None and visit.next_visit_on <= visit.visited_on:
        errors["next_visit_on"] = [_("The next visit must come after this one.")]
    if errors:
        raise ValidationError(errors)
    visit.full_clean(exclude=["recorded_by", "resident"])


def _count_visit(visit: HomeVisit, sign: int) -> None:
    tally(visit.region_code, visit.visited_on, visits=sign, person_times=sign)


def visit_record(
    *,
    actor: User,
    resident: Resident,
    visited_on: date,
    workers: Iterable[User] = (),
    findings: str = "",
    needs_found: str = "",
    next_visit_on: date | None = None,
) -> HomeVisit:
    """入户走访: record a visit to a resident the actor can see, by workers the actor can see."""
    _check_writer(actor)
    if not actor.can_see_code(resident.region_id):
        raise ValidationError({"resident": _("No such resident.")}, code="not_found")
    workers = list(workers) or [actor]
    visit = HomeVisit(
        resident=resident,
        visited_on=visited_on,
        findings=findings,
        needs_found=needs_found,
        next_visit_on=next_visit_on,
        region_code=resident.region_id,
        recorded_by=actor,
    )
    _check_visit_fields(actor, visit, workers)
    with transaction.atomic():
        visit.save()
        visit.workers.set(workers)
        _count_visit(visit, +1)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=visit,
            region_code=resident.region_id,
            changes={
                "visited_on": [None, visit.visited_on.isoformat()],
                "workers": [None, ",".join(str(w.pk) for w in workers)],
                # What was found is personal: the log says only that something was written.
                "findings": [None, "***" if findings else ""],
            },
        )
    return visit


def visit_view(*, actor: User, visit: HomeVisit) -> HomeVisit:
    """Opening a visit (its findings are personal notes) is a view in the audit log; the caller
    fetched it through scoping."""
    audit_view(actor=actor, obj=visit, what="visit")
    return visit


def _check_visit_access(actor: User, visit: HomeVisit) -> None:
    _check_writer(actor)
    if not can_see_work(actor, visit.region_code, visit.resident):
        raise ValidationError({"visit": _("No such visit.")}, code="not_found")


NOTE_FIELDS = ("findings", "needs_found")


def _visit_snapshot(visit: HomeVisit, workers: list[User]) -> dict[str, str | None]:
    """What the audit log may hold of a visit: dates and worker ids, never what was found."""
    return {
        "visited_on": visit.visited_on.isoformat() if visit.visited_on else None,
        "next_visit_on": visit.next_visit_on.isoformat() if visit.next_visit_on else None,
        "workers": ",".join(sorted(str(w.pk) for w in workers)),
        **{name: "***" if getattr(visit, name) else "" for name in NOTE_FIELDS},
    }


def visit_update(
    *, actor: User, visit: HomeVisit, workers: Iterable[User] | None = None, **fields
) -> HomeVisit:
    """Correct a recorded visit (date, workers, findings, needs, next visit). The resident and
    the village stay those of the visit. A changed date moves the visit's tallies."""
    _check_visit_access(actor, visit)
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown visit fields: {sorted(unknown)}")
    current = list(visit.workers.all())
    workers = current if workers is None else list(workers)
    before = _visit_snapshot(visit, current)
    old_notes = {name: getattr(visit, name) for name in NOTE_FIELDS}
    old_day = visit.visited_on
    for name, value in fields.items():
        setattr(visit, name, value.strip() if isinstance(value, str) else value)
    # Workers already on the visit may stay even if this editor cannot see them (the visit
    # followed its person here); new names must be people the editor can see.
    added = [w for w in workers if w not in current]
    _check_visit_fields(actor, visit, workers, named=added)
    after = _visit_snapshot(visit, workers)
    changed = {name for name in NOTE_FIELDS if getattr(visit, name) != old_notes[name]}
    # A rewritten note shows as "***" → "***": that it changed, never what it says.
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k] or k in changed}
    with transaction.atomic():
        visit.save()
        if set(workers) != set(current):
            visit.workers.set(workers)
        if visit.visited_on != old_day:
            tally(visit.region_code, old_day, visits=-1, person_times=-1)
            _count_visit(visit, +1)
        if changes:
            audit_record(actor=actor, action=Action.UPDATE, obj=visit, changes=changes)
    return visit


def visit_delete(*, actor: User, visit: HomeVisit) -> None:
    """A visit recorded by mistake: deleted by whoever recorded it, or by a supervisor."""
    _check_visit_access(actor, visit)
    if actor.role not in SUPERVISORS and visit.recorded_by_id != actor.pk:
        raise PermissionDenied(
            _("Only the person who recorded a visit, or a supervisor, can delete it.")
        )
    before = _visit_snapshot(visit, list(visit.workers.all()))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=visit,
            changes={key: [value, None] for key, value in before.items() if value},
        )
        _count_visit(visit, -1)
        visit.delete()


def _check_rule_setter(actor: User | None, region: Region) -> None:
    if actor is None or actor.role not in SUPERVISORS:
        raise PermissionDenied(
            _("Only an administrator or a station manager sets visit frequencies.")
        )
    if not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")


def frequency_set(
    *, actor: User, region: Region, category: str, interval_days: int
) -> VisitFrequency:
    """Set how often residents of a category in ``region``'s subtree must be visited."""
    _check_rule_setter(actor, region)
    rule = VisitFrequency.objects.filter(region=region, category=category).first()
    before = rule.interval_days if rule else None
    rule = rule or VisitFrequency(region=region, category=category)
    rule.interval_days = interval_days
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE if before is not None else Action.CREATE,
            obj=rule,
            changes={"interval_days": [before, interval_days]},
        )
    return rule


def frequency_delete(*, actor: User, rule: VisitFrequency) -> None:
    """Remove a region's own rule: its subtree then inherits the rule above, or the default."""
    _check_rule_setter(actor, rule.region)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=rule,
            changes={
                "category": [rule.category, None],
                "interval_days": [rule.interval_days, None],
            },
        )
        rule.delete()
