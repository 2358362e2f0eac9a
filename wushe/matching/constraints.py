"""The hard constraints on one (need, supplier) pair, checked when a worker changes a proposal
by hand and again when a proposal is accepted (a volunteer's week may have filled since the
run). The same rules as the solver's, on one pair: every required skill held, a common slot in
the need's window this week, within the supplier's radius, below its weekly capacity; and not
a pair the volunteer declined or a worker rejected. The first that fails is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from wushe.matching import solver
from wushe.matching.geo import PointBook, distance_km
from wushe.matching.models import Need
from wushe.matching.need_services import refusal
from wushe.matching.supply import (
    effective_window,
    key_of,
    need_point,
    offer_loads,
    offer_point,
    refused_pairs,
    skill_mask,
    volunteer_is_active,
    volunteer_loads,
    volunteer_point,
)
from wushe.volunteers.models import Volunteer

WEIGHTS = solver.Weights()


@dataclass(frozen=True)
class PairFacts:
    """Why this pair, as the run's proposals say it."""

    distance_km: float
    skill_fit: int  # skills held beyond those required
    load: int  # tasks in the supplier's week, this one included
    cost: int


def _refuse(field: str, message: str, code: str) -> None:
    raise refusal(field, message, code)


def check_pair(
    need: Need, supplier, *, today: date, field: str = "supplier", pending: int = 0
) -> PairFacts:
    """The facts of giving ``need`` to ``supplier`` (a Volunteer or an OrganisationOffer), or
    ValidationError on ``field`` naming the constraint that fails. ``pending``: other tasks of
    this supplier not yet in its load (proposals of the same run waiting to be accepted)."""
    is_volunteer = isinstance(supplier, Volunteer)
    if not supplier_is_active(supplier):
        _refuse(field, _("This volunteer or organisation is not taking tasks."), "inactive")
    if key_of(supplier) in refused_pairs([need.pk]).get(need.pk, set()):
        _refuse(field, _("Declined or rejected for this need before."), "refused")
    required = list(need.skills.all())
    held = {skill.pk for skill in supplier.skills.all()}
    missing = [skill.name for skill in required if skill.pk not in held]
    if missing:
        _refuse(
            field,
            _("Required skill missing: %(skills)s.") % {"skills": "、".join(missing)},
            "skill",
        )
    window = effective_window(need, today)
    if window is None or (window and not window & supplier.availability):
        _refuse(field, _("No time in common with the need's window this week."), "time")
    codes = [
        need.region_id,
        supplier.region_id if is_volunteer else supplier.station.region_id,
    ]
    book = PointBook(codes)
    here = need_point(book, need)
    there = volunteer_point(book, supplier) if is_volunteer else offer_point(book, supplier)
    if here is None or there is None:
        _refuse(field, _("The need or the supplier has no known position."), "location")
    distance = distance_km(here, there)
    if distance > float(supplier.radius_km):
        _refuse(
            field,
            _("Beyond the radius: %(distance)s km away, radius %(radius)s km.")
            % {
                "distance": f"{distance:.1f}",
                "radius": f"{float(supplier.radius_km):g}",
            },
            "radius",
        )
    loads = volunteer_loads if is_volunteer else offer_loads
    load = loads([supplier.pk], today).get(supplier.pk, 0) + pending
    if load >= supplier.capacity:
        _refuse(
            field,
            _("Over the weekly capacity: %(load)s of %(capacity)s tasks taken.")
            % {"load": load, "capacity": supplier.capacity},
            "capacity",
        )
    surplus = bin(skill_mask(supplier.skills.all()) & ~skill_mask(required)).count("1")
    cost = (
        WEIGHTS.distance_cost(distance)
        + WEIGHTS.per_surplus_skill * surplus
        + WEIGHTS.slot_cost(load + 1)
    )
    return PairFacts(distance_km=round(distance, 3), skill_fit=surplus, load=load + 1, cost=cost)


def supplier_is_active(supplier) -> bool:
    if isinstance(supplier, Volunteer):
        return volunteer_is_active(supplier)
    return bool(supplier.active)
