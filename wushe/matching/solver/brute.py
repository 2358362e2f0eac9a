"""The optimum by trying every assignment: the reference the tests hold the flow to.

Written apart from the rest on purpose: feasibility and cost are computed here again in plain
Python over all pairs, from the raw inputs and ``Weights``, without the candidate search or
the flow. Only for tiny instances (``MAX_NEEDS`` needs).
"""

from __future__ import annotations

import math
import time

import numpy as np

from .candidates import find_candidates
from .explain import build_result
from .model import Needs, Result, Suppliers, Weights

MAX_NEEDS = 8


def feasible_pairs(needs: Needs, suppliers: Suppliers, weights: Weights) -> list[list]:
    """Per need, (supplier index, cost without the load term) of each feasible supplier with
    capacity this week."""
    options = []
    for need in needs.records():
        mine = []
        for j, supplier in enumerate(suppliers.records()):
            dx, dy = need.x_km - supplier.x_km, need.y_km - supplier.y_km
            distance = math.sqrt(dx * dx + dy * dy)
            if (
                supplier.capacity > 0
                and distance <= supplier.radius_km
                and supplier.skills & need.skills == need.skills
                and (need.window == 0 or supplier.availability & need.window != 0)
            ):
                surplus = (supplier.skills & ~need.skills).bit_count()
                cost = weights.distance_cost(distance) + weights.per_surplus_skill * surplus
                mine.append((j, cost))
        options.append(mine)
    return options


def best_assignment(needs: Needs, suppliers: Suppliers, weights: Weights):
    """(objective, assignment) maximising (urgent met, urgent+normal met, all met, -cost)."""
    options = feasible_pairs(needs, suppliers, weights)
    urgency = needs.urgency.tolist()
    capacity = suppliers.capacity.tolist()
    load = suppliers.load.tolist()
    taken = [0] * len(suppliers)
    chosen = [-1] * len(needs)
    best = [None, None]

    def visit(i: int, tiers: list[int], cost: int) -> None:
        if i == len(needs):
            key = (tiers[0], tiers[0] + tiers[1], sum(tiers), -cost)
            if best[0] is None or key > best[0]:
                best[0], best[1] = key, list(chosen)
            return
        visit(i + 1, tiers, cost)
        for j, arc in options[i]:
            if taken[j] < capacity[j]:
                taken[j] += 1
                chosen[i] = j
                tiers[urgency[i]] += 1
                visit(i + 1, tiers, cost + arc + weights.slot_cost(load[j] + taken[j]))
                tiers[urgency[i]] -= 1
                chosen[i] = -1
                taken[j] -= 1

    visit(0, [0, 0, 0], 0)
    return best[0], best[1]


def brute_force_match(
    needs: Needs, suppliers: Suppliers, *, weights: Weights | None = None
) -> Result:
    """The exact optimum by enumeration, as a ``Result`` (at most ``MAX_NEEDS`` needs)."""
    if len(needs) > MAX_NEEDS:
        raise ValueError(f"brute force is for at most {MAX_NEEDS} needs")
    weights = weights or Weights()
    started = time.perf_counter()
    objective, assignment = best_assignment(needs, suppliers, weights)
    solved = time.perf_counter()
    candidates = find_candidates(needs, suppliers, weights)
    result = build_result(
        "brute", needs, suppliers, weights, candidates, np.array(assignment, np.int64), {}
    )
    if result.objective() != objective:
        raise AssertionError(f"explained {result.objective()} but enumerated {objective}")
    result.seconds = {"solve": solved - started, "total": time.perf_counter() - started}
    return result
