"""Recording service work. Pages, the API and imports call these with an explicit actor."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import Role, User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.casework.models import HomeVisit, VisitFrequency
from wushe.people.models import Resident
from wushe.regions.models import Region

WRITERS = (Role.ADMIN, Role.MANAGER, Role.WORKER)


def _check_writer(actor: User | None) -> None:
    if actor is None or actor.role not in WRITERS:
        raise PermissionDenied(_("Your role cannot record service work."))


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
    errors = {}
    if any(not actor.can_see_code(w.region_id or "") for w in workers):
        errors["workers"] = [_("No such user.")]
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("A visit cannot be in the future.")]
    if next_visit_on is not None and next_visit_on <= visited_on:
        errors["next_visit_on"] = [_("The next visit must come after this one.")]
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit(
        resident=resident,
        visited_on=visited_on,
        findings=findings,
        needs_found=needs_found,
        next_visit_on=next_visit_on,
        region_code=resident.region_id,
        recorded_by=actor,
    )
    visit.full_clean(exclude=["recorded_by"])
    with transaction.atomic():
        visit.save()
        visit.workers.set(workers)
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


def frequency_set(*, actor: User, region: Region, category: str, interval_days: int):
    """Set how often residents of a category in ``region``'s subtree must be visited."""
    if actor is None or actor.role != Role.ADMIN:
        raise PermissionDenied(_("Only an administrator sets visit frequencies."))
    if not actor.can_see_code(region.code):
        raise ValidationError({"region": _("No such region.")}, code="not_found")
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
