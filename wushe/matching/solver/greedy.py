"""The baseline the optimum is measured against: a greedy loop, as a spreadsheet would do it.

Needs are taken in order of urgency (urgent, normal, long-term; within a tier in the order
given), and each goes to its cheapest feasible supplier that still has capacity, counting the
supplier's load so far (ties to the lower supplier index). Fast and often good, but it can
spend a supplier on an early need that had other options and leave a later need unmet.
"""

from __future__ import annotations

import time

import numpy as np

from .candidates import Candidates, find_candidates
from .explain import build_result
from .model import Needs, Result, Suppliers, Weights


def solve_greedy(
    needs: Needs, suppliers: Suppliers, weights: Weights, candidates: Candidates
) -> np.ndarray:
    """Supplier index per need index (-1: not met) of the greedy assignment."""
    assignment = np.full(len(needs), -1, dtype=np.int64)
    left = suppliers.capacity.astype(np.int64).tolist()
    load = suppliers.load.astype(np.int64).tolist()
    step = weights.load_step
    # Within a need, visit suppliers by cost before this run (a lower bound of the cost now:
    # loads only grow), so the scan stops as soon as nothing further can be cheaper.
    alone = candidates.arc_cost + step * (suppliers.load[candidates.supplier].astype(np.int64) + 1)
    order = np.lexsort((candidates.supplier, alone, candidates.need))
    supplier = candidates.supplier[order].tolist()
    arc = candidates.arc_cost[order].tolist()
    bound = alone[order].tolist()
    start = candidates.start.tolist()
    for need in np.argsort(needs.urgency, kind="stable").tolist():
        best, best_cost = -1, None
        for row in range(start[need], start[need + 1]):
            if best_cost is not None and bound[row] > best_cost:
                break
            j = supplier[row]
            if left[j] > 0:
                cost = arc[row] + step * (load[j] + 1)
                if best_cost is None or (cost, j) < (best_cost, best):
                    best, best_cost = j, cost
        if best >= 0:
            assignment[need] = best
            left[best] -= 1
            load[best] += 1
    return assignment


def greedy_match(
    needs: Needs,
    suppliers: Suppliers,
    *,
    weights: Weights | None = None,
    candidates: Candidates | None = None,
) -> Result:
    """The greedy baseline's proposals, with the same explanations as ``match``."""
    weights = weights or Weights()
    if candidates is None:
        candidates = find_candidates(needs, suppliers, weights)
    candidates.check(needs, suppliers, weights)
    started = time.perf_counter()
    assignment = solve_greedy(needs, suppliers, weights, candidates)
    solved = time.perf_counter()
    result = build_result("greedy", needs, suppliers, weights, candidates, assignment, {})
    result.seconds = {
        "candidates": candidates.seconds,
        "solve": solved - started,
        "explain": time.perf_counter() - solved,
    }
    result.seconds["total"] = sum(result.seconds.values())
    return result
