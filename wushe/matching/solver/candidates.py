"""Feasible (need, supplier) pairs, found with a spatial index — never by trying all pairs.

For each need the solver only ever looks at suppliers that have every required skill, reach
it (distance within the supplier's radius) and are free in its window. Finding them:

1. Each need is keyed by the rarest of its required skills (the one the fewest suppliers hold);
   only suppliers holding that skill can qualify, so each key skill gets its own k-d tree of
   just those suppliers (needs that require nothing use a tree of everyone).
2. Suppliers are banded by radius (each band's largest radius at most 1.5 times its smallest),
   so a band is searched with its own largest radius, not the largest of all.
3. ``cKDTree.sparse_distance_matrix`` between a tree of the needs of one key and the tree of
   one (key, band) of suppliers gives the pairs within the band's radius, as numpy arrays; the
   exact distance, the supplier's own radius, the full skill mask and the time window are then
   checked on those arrays at once.

Distances are ``sqrt(dx*dx + dy*dy)`` in float64, computed the same way as ``brute.py`` does
in plain Python, so the two agree to the last bit on where a radius ends.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .model import Need, Needs, Supplier, Suppliers, Weights

BAND_RATIO = 1.5  # largest / smallest radius within one band: ≤ 2.25× the area searched
MAX_BANDS = 12  # radii below 1.5**-12 of the largest share the last band
SLACK = 1e-9  # the tree's search radius is widened a hair; the exact test is ours


@dataclass
class Candidates:
    """Feasible pairs (skills, radius, time — capacity left aside), sorted by need, supplier.

    ``start[i]:start[i + 1]`` are need *i*'s pairs. ``near_skilled[i]`` counts suppliers that
    have the skills and reach need *i* at any time, ``feasible[i]`` those also free in its window
    (the unmet reasons are read from these counts).
    """

    need: np.ndarray  # int32 need index
    supplier: np.ndarray  # int32 supplier index
    distance_km: np.ndarray  # float64
    distance_cost: np.ndarray  # int64
    surplus: np.ndarray  # int8: skills held beyond those required
    arc_cost: np.ndarray  # int64: distance_cost + per_surplus_skill * surplus (no load term)
    start: np.ndarray  # int64, len(needs) + 1
    near_skilled: np.ndarray  # int64 per need
    feasible: np.ndarray  # int64 per need
    weights: Weights  # the costs above are for these weights
    seconds: float = 0.0

    def check(self, needs: Needs, suppliers: Suppliers, weights: Weights) -> None:
        """Refuse candidates found for other inputs or other weights."""
        if self.weights != weights or len(self.start) != len(needs) + 1:
            raise ValueError("these candidates were found for other needs or weights")
        if len(self) and int(self.supplier.max()) >= len(suppliers):
            raise ValueError("these candidates were found for other suppliers")

    def __len__(self) -> int:
        return len(self.need)


def popcount(values: np.ndarray) -> np.ndarray:
    """Bits set in each uint64."""
    return np.bitwise_count(values).astype(np.int8)


def has_all(held: np.ndarray, required: np.ndarray) -> np.ndarray:
    return (held & required) == required


def free_in(availability: np.ndarray, window: np.ndarray) -> np.ndarray:
    """A window of 0 accepts any availability (even none); otherwise one common slot."""
    return (window == 0) | ((availability & window) != 0)


MISSING_SKILL, OUT_OF_RADIUS, NOT_FREE, FULL = "missing_skill", "out_of_radius", "no_time", "full"
PAIR_PROBLEMS = (MISSING_SKILL, OUT_OF_RADIUS, NOT_FREE, FULL)


def pair_problem(need: Need, supplier: Supplier) -> str | None:
    """The first hard constraint one pair breaks (``PAIR_PROBLEMS``), or None: for checking a
    match made or edited by hand with the solver's own rules."""
    dx, dy = need.x_km - supplier.x_km, need.y_km - supplier.y_km
    if supplier.skills & need.skills != need.skills:
        return MISSING_SKILL
    if math.sqrt(dx * dx + dy * dy) > supplier.radius_km:
        return OUT_OF_RADIUS
    if need.window != 0 and supplier.availability & need.window == 0:
        return NOT_FREE
    if supplier.capacity <= 0:
        return FULL
    return None


def key_skills(needs: Needs, suppliers: Suppliers) -> np.ndarray:
    """Per need, the required skill held by the fewest suppliers, or -1 if it requires none."""
    key = np.full(len(needs), -1, dtype=np.int64)
    used = int(np.bitwise_or.reduce(needs.skills)) if len(needs) else 0
    bits = [bit for bit in range(64) if used >> bit & 1]
    counts = {bit: int(np.count_nonzero(suppliers.skills & np.uint64(1 << bit))) for bit in bits}
    # Commonest first, so the rarest required bit is written last and wins.
    for bit in sorted(bits, key=lambda b: (-counts[b], -b)):
        key[(needs.skills & np.uint64(1 << bit)) != 0] = bit
    return key


def radius_bands(radius: np.ndarray) -> np.ndarray:
    """Band of each supplier by radius: band 0 holds the largest radii."""
    largest = float(radius.max()) if len(radius) else 0.0
    if largest <= 0:
        return np.zeros(len(radius), dtype=np.int64)
    floor = largest * BAND_RATIO**-MAX_BANDS
    ratio = largest / np.maximum(radius, floor)
    band = np.floor(np.log(ratio) / math.log(BAND_RATIO)).astype(np.int64)
    return np.clip(band, 0, MAX_BANDS)


def _pairs(need_tree, need_rows, suppliers: Suppliers, rows: np.ndarray):
    """Pairs (need index, supplier index) within the largest radius among ``rows``."""
    reach = float(suppliers.radius_km[rows].max())
    tree = cKDTree(np.column_stack((suppliers.x_km[rows], suppliers.y_km[rows])))
    found = need_tree.sparse_distance_matrix(
        tree, reach * (1 + SLACK) + SLACK, output_type="ndarray"
    )
    return need_rows[found["i"]], rows[found["j"]]


def _filter(needs: Needs, suppliers: Suppliers, need, supplier, near_skilled):
    """Keep the pairs within the supplier's radius, with all skills and a common slot;
    counts the near and skilled ones into ``near_skilled`` on the way."""
    dx = needs.x_km[need] - suppliers.x_km[supplier]
    dy = needs.y_km[need] - suppliers.y_km[supplier]
    distance = np.sqrt(dx * dx + dy * dy)
    keep = (distance <= suppliers.radius_km[supplier]) & has_all(
        suppliers.skills[supplier], needs.skills[need]
    )
    need, supplier, distance = need[keep], supplier[keep], distance[keep]
    near_skilled += np.bincount(need, minlength=len(near_skilled))
    keep = free_in(suppliers.availability[supplier], needs.window[need])
    return need[keep].astype(np.int32), supplier[keep].astype(np.int32), distance[keep]


def find_candidates(
    needs: Needs, suppliers: Suppliers, weights: Weights | None = None
) -> Candidates:
    """Every feasible (need, supplier) pair with its distance and cost (see the module)."""
    weights = weights or Weights()
    started = time.perf_counter()
    near_skilled = np.zeros(len(needs), dtype=np.int64)
    parts = []
    if len(needs) and len(suppliers):
        keys = key_skills(needs, suppliers)
        bands = radius_bands(suppliers.radius_km)
        need_points = np.column_stack((needs.x_km, needs.y_km))
        for key in np.unique(keys).tolist():
            need_rows = np.flatnonzero(keys == key)
            need_tree = cKDTree(need_points[need_rows])
            holders = (suppliers.skills & np.uint64(1 << key)) != 0 if key >= 0 else True
            for band in np.unique(bands).tolist():
                rows = np.flatnonzero(holders & (bands == band))
                if len(rows):
                    need, supplier = _pairs(need_tree, need_rows, suppliers, rows)
                    parts.append(_filter(needs, suppliers, need, supplier, near_skilled))
    candidates = _assemble(needs, suppliers, weights, parts, near_skilled)
    candidates.seconds = time.perf_counter() - started
    return candidates


def _assemble(needs, suppliers, weights, parts, near_skilled) -> Candidates:
    if parts:
        need = np.concatenate([part[0] for part in parts])
        supplier = np.concatenate([part[1] for part in parts])
        distance = np.concatenate([part[2] for part in parts])
    else:
        need = supplier = np.zeros(0, dtype=np.int32)
        distance = np.zeros(0, dtype=np.float64)
    order = np.lexsort((supplier, need))
    need, supplier, distance = need[order], supplier[order], distance[order]
    distance_cost = np.floor(distance * weights.per_km + 0.5).astype(np.int64)
    surplus = popcount(suppliers.skills[supplier] & ~needs.skills[need])
    feasible = np.bincount(need, minlength=len(needs)).astype(np.int64)
    start = np.zeros(len(needs) + 1, dtype=np.int64)
    np.cumsum(feasible, out=start[1:])
    return Candidates(
        need=need,
        supplier=supplier,
        distance_km=distance,
        distance_cost=distance_cost,
        surplus=surplus,
        arc_cost=distance_cost + weights.per_surplus_skill * surplus.astype(np.int64),
        start=start,
        near_skilled=near_skilled,
        feasible=feasible,
        weights=weights,
    )
