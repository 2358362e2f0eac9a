"""Supply–demand matching (精准化供需对接): needs to volunteers and organisation services.

A plain Python package (numpy, SciPy, OR-Tools; no Django), so it is tested and benchmarked
on its own; ``wushe.matching`` builds the needs and suppliers from its tables and shows the
result.

Inputs (``model``): ``Needs`` and ``Suppliers``, columns of numpy arrays (or
``Needs.from_records([Need(...)])``, ``Suppliers.from_records([Supplier(...)])``):

- need: ``id``, ``x_km``/``y_km`` (planar km), ``skills`` (uint64 mask, all required),
  ``window`` (21-bit mask of weekly slots, ``slot_bit(day, part)``; 0 = any time),
  ``urgency`` (``URGENT`` 0, ``NORMAL`` 1, ``LONG_TERM`` 2);
- supplier: ``id``, ``x_km``/``y_km``, ``skills`` (held), ``availability`` (21-bit mask),
  ``capacity`` (more tasks this week), ``radius_km``, ``load`` (tasks already this week).

Hard constraints: the supplier holds every required skill, is free in one slot of the window
(or the window is 0), lives within its radius of the need, takes at most ``capacity`` needs;
each need gets at most one supplier.

Objective, lexicographic: the most urgent needs met; then the most urgent-or-normal; then the
most needs in all; then the least total cost. The three counts never pull against each other
(a matroid property, see ``flow``): the optimum meets as many needs in all as any assignment
can, and among those as many urgent ones as any can. The cost of a proposal is
``per_km·distance + per_surplus_skill·(skills beyond those required) + load_step·k`` for the
supplier's k-th task of the week (``Weights``; the load term is convex, so work spreads).

API (stable):

- ``match(needs, suppliers, *, weights=None, candidates=None) -> Result`` — the optimum
  (OR-Tools min-cost flow).
- ``greedy_match(needs, suppliers, *, weights=None, candidates=None) -> Result`` — baseline.
- ``brute_force_match(needs, suppliers, *, weights=None) -> Result`` — tiny instances only.
- ``find_candidates(needs, suppliers, weights=None) -> Candidates`` — the feasible pairs,
  through k-d trees (pass them to both methods to find them once).
- ``Result``: ``proposals`` (``Proposals``: columns, iterating as ``Proposal`` records with
  ``need_id, supplier_id, cost, distance_km, distance_cost, skill_fit, skill_cost,
  load_cost, load_after, pair_cost, next_best_supplier_id, next_best_cost,
  next_best_distance_km, next_best_taken``), ``unmet`` (``UnmetNeeds`` iterating as ``Unmet``
  with ``need_id, urgency, reason, candidates``; ``reason`` one of ``REASONS``:
  ``no_candidate_skill``, ``no_skill_nearby``, ``no_time``, ``no_capacity``), ``met``,
  ``met_urgent``, ``met_by_urgency``, ``cost``, ``assignment`` (supplier index per need
  index, -1), ``candidates`` (feasible pairs), ``seconds`` (``candidates``, ``solve``,
  ``explain``, ``total``).
- ``pair_problem(need: Need, supplier: Supplier) -> str | None`` — the first hard constraint
  a hand-made pair breaks (``PAIR_PROBLEMS``: ``missing_skill``, ``out_of_radius``,
  ``no_time``, ``full``), or None.
- ``describe(proposal)``, ``describe_unmet(unmet)`` — one English line each.
- ``planar_km(latitude, longitude, origin=None) -> (x_km, y_km)`` — degrees to the planar km
  the solver works in; ``slot_bit(day, part)``, ``skill_mask(numbers)`` build the masks.

Bad input (lengths that differ, duplicate ids, urgency outside 0..2, masks beyond 21 slots,
negative capacity, load or radius, non-finite positions) raises ``ValueError``.
"""

from .brute import brute_force_match
from .candidates import PAIR_PROBLEMS, Candidates, find_candidates, pair_problem
from .explain import describe, describe_unmet
from .flow import match
from .greedy import greedy_match
from .model import (
    ALL_WEEK,
    ANY_TIME,
    LONG_TERM,
    NO_CANDIDATE_SKILL,
    NO_CAPACITY,
    NO_SKILL_NEARBY,
    NO_TIME,
    NORMAL,
    REASONS,
    URGENT,
    Need,
    Needs,
    Proposal,
    Proposals,
    Result,
    Supplier,
    Suppliers,
    Unmet,
    UnmetNeeds,
    Weights,
    planar_km,
    skill_mask,
    slot_bit,
)

__all__ = [
    "ALL_WEEK",
    "ANY_TIME",
    "LONG_TERM",
    "NO_CANDIDATE_SKILL",
    "NO_CAPACITY",
    "NO_SKILL_NEARBY",
    "NO_TIME",
    "NORMAL",
    "PAIR_PROBLEMS",
    "REASONS",
    "URGENT",
    "Candidates",
    "Need",
    "Needs",
    "Proposal",
    "Proposals",
    "Result",
    "Supplier",
    "Suppliers",
    "Unmet",
    "UnmetNeeds",
    "Weights",
    "brute_force_match",
    "describe",
    "describe_unmet",
    "find_candidates",
    "greedy_match",
    "match",
    "pair_problem",
    "planar_km",
    "skill_mask",
    "slot_bit",
]
