"""One matching run (供需对接): the open needs of a station or a county, the volunteers and
organisation offers around them, the solver's optimum, stored as a ``MatchRun`` with its
``Proposal`` and ``UnmetNeed`` rows (``dry_run``: the same rows, not stored).

Suppliers are the active volunteers and offers of the area's county that the actor can see (a
station manager proposes nobody from outside their own subtree: a proposal names a person).
A pair a volunteer declined or a worker rejected is never proposed again for that need.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.matching import solver
from wushe.matching.choices import NeedStatus, UnmetReason
from wushe.matching.geo import mean_latitude, project
from wushe.matching.models import MatchRun, Need, OrganisationOffer, Proposal, UnmetNeed
from wushe.matching.need_services import check_writer, refusal
from wushe.matching.supply import (
    Pool,
    build_pool,
    in_week,
    key_of,
    matchable_volunteers,
    skill_mask,
)
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level, subtree_range
from wushe.regions.models import Region, Site


@dataclass
class RunResult:
    """What a run proposes and leaves unmet; ``run`` is None for a dry run."""

    run: MatchRun | None
    summary: MatchRun  # the counts (the stored run, or an unsaved one for a dry run)
    proposals: list[Proposal] = field(default_factory=list)
    unmet: list[UnmetNeed] = field(default_factory=list)


def _area(actor: User, station: Site | None, county: Region | None) -> tuple[str, Site | None]:
    """The area's region code, checked: a station (kind station) or a county in sight."""
    if (station is None) == (county is None):
        raise ValidationError(_("Choose a station or a county."), code="scope")
    if station is not None:
        if not actor.can_see_code(station.region_id) or station.kind != SiteKind.STATION:
            raise refusal("station", _("No such station."), "not_found")
        return station.region_id, station
    if not actor.can_see_code(county.code) or county.level != Level.COUNTY:
        raise refusal("county", _("No such county."), "not_found")
    return county.code, None


def _open_needs(actor: User, code: str, station: Site | None, today: date) -> list[Need]:
    needs = Need.objects.visible_to(actor).filter(status=NeedStatus.OPEN)
    if station is not None:
        needs = needs.filter(station=station)
    else:
        needs = needs.within(subtree_range(code, Level.COUNTY))
    needs = in_week(needs, today).select_related("region", "resident", "group", "station")
    return list(needs.prefetch_related("skills").order_by("urgency", "id"))


def _suppliers(actor: User, code: str) -> tuple[list, list]:
    county = subtree_range(code[:6], Level.COUNTY)
    volunteers = list(matchable_volunteers(user=actor).within(county).prefetch_related("skills"))
    offers = (
        OrganisationOffer.objects.visible_to(actor)
        .within(county)
        .filter(active=True)
        .select_related("organisation", "station")
        .prefetch_related("skills")
    )
    return volunteers, list(offers)


def solver_inputs(pool: Pool) -> tuple[solver.Needs, solver.Suppliers]:
    origin = mean_latitude([*pool.positions, *pool.supplier_positions])
    nx, ny = project(pool.positions, origin)
    sx, sy = project(pool.supplier_positions, origin)
    needs = solver.Needs(
        id=[need.pk for need in pool.needs],
        x_km=nx,
        y_km=ny,
        skills=[skill_mask(need.skills.all()) for need in pool.needs],
        window=pool.windows,
        urgency=[need.urgency for need in pool.needs],
    )
    suppliers = solver.Suppliers(
        id=list(range(len(pool.suppliers))),
        x_km=sx,
        y_km=sy,
        skills=[skill_mask(s.skills.all()) for s in pool.suppliers],
        availability=[s.availability for s in pool.suppliers],
        capacity=[
            max(0, s.capacity - load) for s, load in zip(pool.suppliers, pool.loads, strict=True)
        ],
        radius_km=[float(s.radius_km) for s in pool.suppliers],
        load=pool.loads,
    )
    return needs, suppliers


def without_refused(
    pool: Pool, candidates: solver.Candidates
) -> tuple[solver.Candidates, np.ndarray]:
    """The candidates less the refused pairs, and per need how many feasible pairs were
    dropped (a need left with none because of them is unmet as ``declined``)."""
    drop = np.zeros(len(candidates), dtype=bool)
    keys = [key_of(supplier) for supplier in pool.suppliers]
    for i, need in enumerate(pool.needs):
        refused = pool.refused.get(need.pk)
        if refused:
            for row in range(int(candidates.start[i]), int(candidates.start[i + 1])):
                drop[row] = keys[int(candidates.supplier[row])] in refused
    dropped = np.bincount(candidates.need[drop], minlength=len(pool.needs))
    keep = ~drop
    feasible = np.bincount(candidates.need[keep], minlength=len(pool.needs)).astype(np.int64)
    start = np.zeros(len(pool.needs) + 1, dtype=np.int64)
    np.cumsum(feasible, out=start[1:])
    kept = solver.Candidates(
        need=candidates.need[keep],
        supplier=candidates.supplier[keep],
        distance_km=candidates.distance_km[keep],
        distance_cost=candidates.distance_cost[keep],
        surplus=candidates.surplus[keep],
        arc_cost=candidates.arc_cost[keep],
        start=start,
        near_skilled=candidates.near_skilled,
        feasible=feasible,
        weights=candidates.weights,
        seconds=candidates.seconds,
    )
    return kept, dropped


def _supplier_fields(supplier, prefix: str = "") -> dict:
    if supplier is None:
        return {}
    kind = "volunteer" if key_of(supplier)[0] == "volunteer" else "offer"
    return {f"{prefix}{kind}": supplier}


def _rows(pool: Pool, run: MatchRun, result: solver.Result, dropped: np.ndarray):
    by_pk = {need.pk: need for need in pool.needs}
    index_of = {need.pk: i for i, need in enumerate(pool.needs)}
    proposals = []
    for p in result.proposals:
        need = by_pk[p.need_id]
        nxt = pool.suppliers[p.next_best_supplier_id] if p.next_best_supplier_id >= 0 else None
        proposals.append(
            Proposal(
                run=run,
                need=need,
                cost=p.cost,
                distance_km=round(p.distance_km, 3),
                skill_fit=p.skill_fit,
                load=p.load_after,
                next_cost=p.next_best_cost if nxt else None,
                next_distance_km=round(p.next_best_distance_km, 3) if nxt else None,
                next_taken=bool(p.next_best_taken),
                region_code=need.region_id,
                **_supplier_fields(pool.suppliers[p.supplier_id]),
                **_supplier_fields(nxt, "next_"),
            )
        )
    unmet = []
    for u in result.unmet:
        need = by_pk[u.need_id]
        reason = u.reason
        if u.candidates == 0 and dropped[index_of[u.need_id]] > 0:
            reason = UnmetReason.DECLINED
        unmet.append(_unmet(run, need, reason, u.candidates))
    unmet += [_unmet(run, need, UnmetReason.NO_LOCATION) for need in pool.unlocated]
    unmet += [_unmet(run, need, UnmetReason.NO_TIME) for need in pool.no_time]
    unmet.sort(key=lambda row: (row.need.urgency, row.need.pk))
    return proposals, unmet


def _unmet(run: MatchRun, need: Need, reason: str, candidates: int = 0) -> UnmetNeed:
    return UnmetNeed(
        run=run,
        need=need,
        reason=reason,
        candidates=candidates,
        region_code=need.region_id,
    )


def match_run(
    *,
    actor: User,
    station: Site | None = None,
    county: Region | None = None,
    dry_run: bool = False,
    today: date,
) -> RunResult:
    """Propose volunteers and organisations for the open needs of ``station`` or ``county``
    this week (``today`` and the six days after). Stores the run unless ``dry_run``."""
    check_writer(actor)
    started = time.perf_counter()
    code, station = _area(actor, station, county)
    needs = _open_needs(actor, code, station, today)
    volunteers, offers = _suppliers(actor, code)
    pool = build_pool(needs, volunteers, offers, today)
    need_input, supplier_input = solver_inputs(pool)
    candidates = solver.find_candidates(need_input, supplier_input)
    candidates, dropped = without_refused(pool, candidates)
    result = solver.match(need_input, supplier_input, candidates=candidates)
    run = MatchRun(
        actor=actor,
        station=station,
        region_code=code,
        week_of=today,
        needs_count=len(needs),
        suppliers_count=len(pool.suppliers),
        met=result.met,
        met_urgent=result.met_urgent,
        cost=result.cost,
    )
    proposals, unmet = _rows(pool, run, result, dropped)
    run.unmet_count = len(unmet)
    run.seconds = round(time.perf_counter() - started, 3)
    if dry_run:
        return RunResult(run=None, summary=run, proposals=proposals, unmet=unmet)
    with transaction.atomic():
        run.save()
        for row in (*proposals, *unmet):
            row.run = run
        Proposal.objects.bulk_create(proposals)
        UnmetNeed.objects.bulk_create(unmet)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=run,
            changes={
                "needs": [None, str(run.needs_count)],
                "met": [None, str(run.met)],
                "met_urgent": [None, str(run.met_urgent)],
                "unmet": [None, str(run.unmet_count)],
                "cost": [None, str(run.cost)],
            },
        )
    return RunResult(run=run, summary=run, proposals=proposals, unmet=unmet)
