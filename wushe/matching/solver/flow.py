"""The optimal assignment, as one min-cost flow (OR-Tools ``SimpleMinCostFlow``).

The network::

    need i (supply 1) --[cap 1, cost arc_ij]--> supplier j --[slot t: cap 1,
        cost load_step * (load_j + t), t = 1..min(capacity_j, degree_j)]--> sink
    need i --[cap 1, cost K * (3 - urgency_i): "not met"]--> sink

Every need sends its unit to the sink, through a supplier or through its "not met" arc.
A supplier's slots are parallel arcs of increasing cost, so a flow takes the cheap ones
first: that is exactly the convex load term, optimal with no extra work.

Why this is the lexicographic optimum. The sets of needs that can be met together are the
independent sets of a matroid (a transversal matroid: suppliers with capacities are copies of
one supplier). In a matroid some maximal set holds at once the most urgent needs possible,
the most urgent-or-normal needs possible and the most needs possible (the greedy algorithm
by tier builds one), so the three maxima never conflict, and a set reaches all three exactly
when it maximises ``3·urgent + 2·normal + 1·long-term``. With ``K`` larger than the cost of
any assignment, minimising ``K·(value of needs not met) + cost`` therefore first reaches that
maximum and only then the least cost among the assignments that reach it.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.graph.python import min_cost_flow

from .candidates import Candidates, find_candidates
from .explain import build_result
from .model import LONG_TERM, Needs, Result, Suppliers, Weights

COST_LIMIT = 2**62  # OR-Tools scales costs by the number of nodes; stay clear of int64


def tier_values(urgency: np.ndarray) -> np.ndarray:
    """3 for an urgent need, 2 for a normal one, 1 for a long-term one."""
    return (LONG_TERM + 1 - urgency.astype(np.int64)).astype(np.int64)


def solve_flow(
    needs: Needs, suppliers: Suppliers, weights: Weights, candidates: Candidates
) -> np.ndarray:
    """Supplier index per need index (-1: not met) of the optimal assignment."""
    assignment = np.full(len(needs), -1, dtype=np.int64)
    usable = np.flatnonzero(suppliers.capacity[candidates.supplier] > 0)
    if not len(usable):
        return assignment
    need_rows, need_node = np.unique(candidates.need[usable], return_inverse=True)
    supplier_rows, supplier_local = np.unique(candidates.supplier[usable], return_inverse=True)
    n, m = len(need_rows), len(supplier_rows)
    sink = n + m
    arc_cost = candidates.arc_cost[usable]

    degree = np.bincount(supplier_local, minlength=m)
    slots = np.minimum(suppliers.capacity[supplier_rows], degree).astype(np.int64)
    slot_tail = np.repeat(np.arange(m, dtype=np.int64), slots)
    slot_start = np.repeat(np.cumsum(slots) - slots, slots)
    slot_k = np.arange(len(slot_tail)) - slot_start + 1 + suppliers.load[supplier_rows][slot_tail]
    slot_cost = weights.load_step * slot_k.astype(np.int64)

    # K > the cost of any assignment: each need's dearest arc plus the dearest slot.
    first = np.r_[0, np.flatnonzero(np.diff(need_node)) + 1]
    dearest_arc = np.maximum.reduceat(arc_cost, first)
    dearest_slot = int(slot_cost.max()) if len(slot_cost) else 0
    big = int(dearest_arc.sum()) + n * dearest_slot + 1
    penalty = big * tier_values(needs.urgency[need_rows])
    if int(penalty.max()) * (n + m + 2) >= COST_LIMIT:
        raise OverflowError("costs too large for one flow: lower the weights")

    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate((need_node, n + slot_tail, np.arange(n)))
    heads = np.concatenate((n + supplier_local, np.full(len(slot_tail) + n, sink)))
    costs = np.concatenate((arc_cost, slot_cost, penalty))
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        np.ones(len(tails), dtype=np.int64),
        costs.astype(np.int64),
    )
    flow.set_nodes_supplies(
        np.r_[np.arange(n), sink].astype(np.int32), np.r_[np.ones(n), -n].astype(np.int64)
    )
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    used = flow.flows(np.arange(len(usable), dtype=np.int32)) > 0
    assignment[need_rows[need_node[used]]] = supplier_rows[supplier_local[used]]
    return assignment


def match(
    needs: Needs,
    suppliers: Suppliers,
    *,
    weights: Weights | None = None,
    candidates: Candidates | None = None,
) -> Result:
    """The optimal proposals: most urgent needs met, then most urgent-or-normal, then most
    needs, then least cost (see the module). ``candidates`` may be passed when already found
    (the bench times them once for both methods)."""
    weights = weights or Weights()
    if candidates is None:
        candidates = find_candidates(needs, suppliers, weights)
    started = time.perf_counter()
    assignment = solve_flow(needs, suppliers, weights, candidates)
    solved = time.perf_counter()
    result = build_result("flow", needs, suppliers, weights, candidates, assignment, {})
    result.seconds = {
        "candidates": candidates.seconds,
        "solve": solved - started,
        "explain": time.perf_counter() - solved,
    }
    result.seconds["total"] = sum(result.seconds.values())
    return result
