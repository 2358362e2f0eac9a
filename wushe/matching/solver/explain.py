"""From an assignment to a ``Result``: each proposal's why (distance, skills, load) and next
best candidate, each unmet need's failed constraint, and the totals.

Shared by every method (flow, greedy, brute force), so their results read alike and the tests
compare like with like. ``describe`` and ``describe_unmet`` give one plain English line for
logs and the command line; the Django side builds its translated text from the fields.
"""

from __future__ import annotations

import numpy as np

from .candidates import Candidates, has_all
from .model import (
    NO_CANDIDATE_SKILL,
    NO_CAPACITY,
    NO_SKILL_NEARBY,
    NO_TIME,
    REASONS,
    Needs,
    Proposal,
    Proposals,
    Result,
    Suppliers,
    Unmet,
    UnmetNeeds,
    Weights,
)


def candidate_rows(candidates: Candidates, m: int, need: np.ndarray, supplier: np.ndarray):
    """Row of each (need, supplier) pair in ``candidates``; raises if a pair is not feasible."""
    keys = candidates.need.astype(np.int64) * m + candidates.supplier
    wanted = need.astype(np.int64) * m + supplier
    rows = np.searchsorted(keys, wanted)
    found = rows < len(keys)
    found[found] = keys[rows[found]] == wanted[found]
    if not found.all():
        bad = int(np.flatnonzero(~found)[0])
        raise ValueError(f"need {int(need[bad])} cannot go to supplier {int(supplier[bad])}")
    return rows


def slot_ranks(supplier: np.ndarray, *order_keys: np.ndarray) -> np.ndarray:
    """1-based rank of each assignment among its supplier's, ordered by ``order_keys``."""
    order = np.lexsort((*reversed(order_keys), supplier))
    ranked = supplier[order]
    first = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1] if len(ranked) else ranked
    starts = np.repeat(first, np.diff(np.r_[first, len(ranked)]))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - starts + 1
    return ranks


def next_best(
    candidates: Candidates, suppliers: Suppliers, weights: Weights, need, chosen
) -> tuple[np.ndarray, np.ndarray]:
    """Per met need: the row in ``candidates`` of the cheapest other feasible supplier with
    capacity (cost alone: arc + its next slot before the run; ties to the smaller supplier id),
    or -1; and the pair cost of every candidate row."""
    load = suppliers.load[candidates.supplier].astype(np.int64)
    pair_cost = candidates.arc_cost + weights.load_step * (load + 1)
    usable = np.flatnonzero(suppliers.capacity[candidates.supplier] > 0)
    order = usable[
        np.lexsort(
            (
                suppliers.id[candidates.supplier[usable]],
                pair_cost[usable],
                candidates.need[usable],
            )
        )
    ]
    if not len(order):
        return np.full(len(need), -1, dtype=np.int64), pair_cost
    grouped, last = candidates.need[order], len(order) - 1
    pick = np.searchsorted(grouped, need, side="left")
    end = np.searchsorted(grouped, need, side="right")
    clash = (pick < end) & (candidates.supplier[order[np.minimum(pick, last)]] == chosen)
    pick[clash] += 1
    rows = np.where(pick < end, order[np.minimum(pick, last)], -1)
    return rows, pair_cost


def unmet_reasons(needs: Needs, suppliers: Suppliers, candidates: Candidates, rows: np.ndarray):
    """Reason code (index into ``REASONS``) of each unmet need index in ``rows``."""
    reason = np.full(len(rows), REASONS.index(NO_CAPACITY), dtype=np.int8)
    reason[candidates.feasible[rows] == 0] = REASONS.index(NO_TIME)
    far = rows[candidates.near_skilled[rows] == 0]
    held = np.unique(suppliers.skills)
    masks = np.unique(needs.skills[far])
    somewhere = {int(mask): bool(has_all(held, mask).any()) for mask in masks}
    exists = np.array([somewhere[int(mask)] for mask in needs.skills[far]], dtype=bool)
    far_reason = np.where(
        exists, REASONS.index(NO_SKILL_NEARBY), REASONS.index(NO_CANDIDATE_SKILL)
    ).astype(np.int8)
    reason[candidates.near_skilled[rows] == 0] = far_reason
    return reason


def build_result(
    method: str,
    needs: Needs,
    suppliers: Suppliers,
    weights: Weights,
    candidates: Candidates,
    assignment: np.ndarray,
    seconds: dict[str, float],
) -> Result:
    """The ``Result`` of ``assignment`` (supplier index per need index, -1 for none).

    Raises ``ValueError`` if the assignment breaks a hard constraint: a pair that is not
    feasible, or a supplier given more than its capacity."""
    assignment = np.asarray(assignment, dtype=np.int64)
    if len(assignment) != len(needs) or np.any(assignment >= len(suppliers)):
        raise ValueError("the assignment does not fit the needs and suppliers")
    need = np.flatnonzero(assignment >= 0)
    chosen = assignment[need]
    taken = np.bincount(chosen, minlength=len(suppliers))
    if np.any(taken > suppliers.capacity):
        raise ValueError("a supplier is given more tasks than its capacity")
    rows = candidate_rows(candidates, len(suppliers), need, chosen)
    arc = candidates.arc_cost[rows]
    load = suppliers.load[chosen].astype(np.int64)
    rank = slot_ranks(chosen, needs.urgency[need], arc, need)
    load_cost = weights.load_step * (load + rank)
    alt, pair_cost = next_best(candidates, suppliers, weights, need, chosen)
    has_alt = alt >= 0
    alt_supplier = np.where(has_alt, candidates.supplier[np.maximum(alt, 0)], 0)
    proposals = Proposals(
        need_id=needs.id[need],
        supplier_id=suppliers.id[chosen],
        cost=arc + load_cost,
        distance_km=candidates.distance_km[rows],
        distance_cost=candidates.distance_cost[rows],
        skill_fit=candidates.surplus[rows].astype(np.int64),
        skill_cost=arc - candidates.distance_cost[rows],
        load_cost=load_cost,
        load_after=load + taken[chosen],
        pair_cost=pair_cost[rows],
        next_best_supplier_id=np.where(has_alt, suppliers.id[alt_supplier], -1),
        next_best_cost=np.where(has_alt, pair_cost[np.maximum(alt, 0)], -1),
        next_best_distance_km=np.where(has_alt, candidates.distance_km[np.maximum(alt, 0)], np.nan),
        next_best_taken=has_alt & (taken[alt_supplier] >= suppliers.capacity[alt_supplier]),
    )
    left = np.flatnonzero(assignment < 0)
    unmet = UnmetNeeds(
        need_id=needs.id[left],
        urgency=needs.urgency[left].astype(np.int64),
        reason=unmet_reasons(needs, suppliers, candidates, left),
        candidates=candidates.feasible[left],
    )
    tiers = np.bincount(needs.urgency[need], minlength=3)
    return Result(
        method=method,
        needs=len(needs),
        met=len(need),
        met_urgent=int(tiers[0]),
        met_by_urgency=(int(tiers[0]), int(tiers[1]), int(tiers[2])),
        cost=int(proposals.cost.sum()),
        assignment=assignment,
        proposals=proposals,
        unmet=unmet,
        candidates=len(candidates),
        seconds=seconds,
    )


def describe(proposal: Proposal) -> str:
    """One line of why, e.g. for ``wushe match --dry-run`` and logs."""
    why = (
        f"need {proposal.need_id} -> supplier {proposal.supplier_id}: "
        f"{proposal.distance_km:.1f} km, {proposal.skill_fit} surplus skill(s), "
        f"{proposal.load_after} task(s) in its week with this run's, cost {proposal.cost}"
    )
    if proposal.next_best_supplier_id < 0:
        return why + "; the only feasible supplier"
    alt = (
        f"; next best {proposal.next_best_supplier_id} "
        f"({proposal.next_best_distance_km:.1f} km, cost {proposal.next_best_cost} alone "
        f"against {proposal.pair_cost}"
    )
    if proposal.next_best_cost < proposal.pair_cost:
        alt += ", cheaper alone but " + (
            "its week is full" if proposal.next_best_taken else "better used elsewhere"
        )
    return why + alt + ")"


REASON_TEXT = {
    NO_CANDIDATE_SKILL: "no supplier has the skills",
    NO_SKILL_NEARBY: "no supplier with the skills lives within reach",
    NO_TIME: "suppliers with the skills are near but none is free in its window",
    NO_CAPACITY: "the feasible suppliers' weeks went to needs as urgent or more",
}


def describe_unmet(unmet: Unmet) -> str:
    return f"need {unmet.need_id}: unmet, {REASON_TEXT[unmet.reason]}"
