"""How fast and how well the supply–demand matching solves, against a greedy loop.

    python bench/matching.py [--case a|b|c|all] [--seed N]

Generates seeded instances (no database): needs and volunteers spread over a square whose
side is chosen so that a need has about the wanted number of feasible volunteers (skills from a
taxonomy of 12, one or two required; weekly slots; radii of 1–5 km; capacity 1–3 a week with
some load already taken). Then, in one run, finds the candidates once (k-d trees, skills,
time), and solves with the optimal min-cost flow (``match``) and the greedy baseline
(``greedy_match``), printing for each: time (candidates included, and apart), needs met,
urgent met, total cost, and the gaps. Cases:

- a: 20,000 needs × 200,000 volunteers, ~50 candidates a need — target optimal in < 4 s;
- b: 100,000 needs × 1,000,000 volunteers, ~30 candidates — target < 40 s and < 4 GiB;
- c: tight supply, 20,000 needs × 25,000 volunteers of capacity 1–2 and few candidates: the
  greedy loop leaves needs unmet that the optimum meets.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wushe.matching.solver import (  # noqa: E402
    ALL_WEEK,
    Needs,
    Suppliers,
    Weights,
    find_candidates,
    greedy_match,
    match,
)

SKILLS = 12
SLOTS = 21
GIB = 1024**3


@dataclass(frozen=True)
class Case:
    name: str
    needs: int
    volunteers: int
    per_need: float  # feasible candidates a need should have, on average
    capacity: tuple[int, int]  # capacity this week, inclusive range
    seconds: float | None  # the target, candidates included
    memory_gib: float | None


CASES = {
    "a": Case("a", 20_000, 200_000, 50, (1, 3), 4.0, None),
    "b": Case("b", 100_000, 1_000_000, 30, (1, 3), 40.0, 4.0),
    "c": Case("c", 20_000, 25_000, 4, (1, 2), None, None),
}


def random_masks(rng, count: int, bits: int, low: int, high: int) -> np.ndarray:
    """``count`` masks of ``low``..``high`` distinct bits among ``bits``."""
    keys = rng.random((count, bits))
    wanted = rng.integers(low, high + 1, size=count)
    rank = np.argsort(np.argsort(keys, axis=1), axis=1)
    chosen = rank < wanted[:, None]
    return (chosen * (np.uint64(1) << np.arange(bits, dtype=np.uint64))).sum(
        axis=1, dtype=np.uint64
    )


def people(case: Case, rng) -> tuple[dict, dict]:
    """Columns of needs and volunteers, positions in a unit square (scaled later)."""
    n, m = case.needs, case.volunteers
    window = random_masks(rng, n, SLOTS, 3, 8).astype(np.uint32)
    window[rng.random(n) < 0.4] = 0  # any time
    needs = {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "x_km": rng.random(n),
        "y_km": rng.random(n),
        "skills": random_masks(rng, n, SKILLS, 1, 2),
        "window": window,
        "urgency": rng.choice(3, size=n, p=[0.2, 0.5, 0.3]).astype(np.int8),
    }
    low, high = case.capacity
    capacity = rng.integers(low, high + 1, size=m)
    volunteers = {
        "id": np.arange(1, m + 1, dtype=np.int64) + 10_000_000,
        "x_km": rng.random(m),
        "y_km": rng.random(m),
        "skills": random_masks(rng, m, SKILLS, 1, 4),
        "availability": random_masks(rng, m, SLOTS, 4, 10).astype(np.uint32),
        "capacity": capacity,
        "radius_km": rng.choice([1.0, 2.0, 3.0, 5.0], size=m, p=[0.3, 0.3, 0.25, 0.15]),
        "load": rng.integers(0, 3 - capacity + 1),
    }
    return needs, volunteers


def side_for(case: Case, needs: dict, volunteers: dict, rng) -> float:
    """Side of the square (km) giving ``case.per_need`` candidates a need: the density of
    volunteers times the mean area they cover times the chance a random pair fits."""
    sample = 200_000
    i = rng.integers(0, case.needs, size=sample)
    j = rng.integers(0, case.volunteers, size=sample)
    skills = (volunteers["skills"][j] & needs["skills"][i]) == needs["skills"][i]
    window = needs["window"][i]
    time_fits = (window == 0) | ((volunteers["availability"][j] & window) != 0)
    fits = np.mean(skills & time_fits)
    area = np.mean(math.pi * volunteers["radius_km"] ** 2)
    return math.sqrt(case.volunteers * area * fits / case.per_need)


def instance(case: Case, seed: int) -> tuple[Needs, Suppliers]:
    rng = np.random.default_rng(seed)
    needs, volunteers = people(case, rng)
    side = side_for(case, needs, volunteers, rng)
    for columns in (needs, volunteers):
        columns["x_km"] = columns["x_km"] * side
        columns["y_km"] = columns["y_km"] * side
    assert int(volunteers["availability"].max()) <= ALL_WEEK
    return Needs(**needs), Suppliers(**volunteers)


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB  # Linux: KiB


def row(label: str, result, candidates_seconds: float) -> str:
    urgent, normal, long_term = result.met_by_urgency
    return (
        f"  {label:<15}{result.seconds['total']:>8.2f} s{result.seconds['solve']:>8.2f} s"
        f"{result.seconds['explain']:>8.2f} s{result.met:>9,}{urgent:>8,}{normal:>8,}"
        f"{long_term:>8,}{result.cost:>14,}"
    )


def run(case: Case, seed: int) -> None:
    started = time.perf_counter()
    needs, suppliers = instance(case, seed)
    made = time.perf_counter() - started
    weights = Weights()
    candidates = find_candidates(needs, suppliers, weights)
    urgent = int(np.count_nonzero(needs.urgency == 0))
    reachable = int(np.count_nonzero(candidates.feasible))
    print(
        f"case {case.name}: {len(needs):,} needs ({urgent:,} urgent) × {len(suppliers):,} "
        f"volunteers, seed {seed} (generated in {made:.1f} s)"
    )
    print(
        f"  candidates: {len(candidates):,} feasible pairs, {len(candidates) / len(needs):.1f} "
        f"a need; {len(needs) - reachable:,} needs have none; {candidates.seconds:.2f} s "
        "(k-d trees, skills, time)"
    )
    optimal = match(needs, suppliers, weights=weights, candidates=candidates)
    greedy = greedy_match(needs, suppliers, weights=weights, candidates=candidates)
    print(
        f"  {'':<15}{'total':>10}{'solve':>10}{'explain':>10}{'met':>9}{'urgent':>8}"
        f"{'normal':>8}{'long':>8}{'cost':>14}"
    )
    print(row("optimal (flow)", optimal, candidates.seconds))
    print(row("greedy", greedy, candidates.seconds))
    gain = optimal.met - greedy.met
    cost_gap = (greedy.cost - optimal.cost) / optimal.cost * 100 if optimal.cost else 0.0
    print(
        f"  gap: the optimum meets {gain:+,} needs ({optimal.met_urgent - greedy.met_urgent:+,} "
        f"urgent) and costs {optimal.cost - greedy.cost:+,} ({-cost_gap:+.2f}%) against greedy; "
        f"greedy takes {greedy.seconds['total'] / optimal.seconds['total']:.2f}× the time"
    )
    reasons = {}
    for reason in optimal.unmet.reason.tolist():
        reasons[reason] = reasons.get(reason, 0) + 1
    print(f"  optimum unmet by reason: {reasons_text(reasons)}")
    if optimal.objective() < greedy.objective():
        print("  ERROR: greedy beats the optimum")
    peak = peak_rss_gib()
    if case.seconds is not None:
        verdict = "met" if optimal.seconds["total"] < case.seconds else "MISSED"
        print(
            f"  target: optimal in < {case.seconds:.0f} s, candidates included: {verdict} "
            f"({optimal.seconds['total']:.2f} s)"
        )
    if case.memory_gib is not None:
        verdict = "met" if peak < case.memory_gib else "MISSED"
        print(f"  target: < {case.memory_gib:.0f} GiB peak memory: {verdict} ({peak:.2f} GiB)")
    else:
        print(f"  peak memory so far: {peak:.2f} GiB")
    if case.name == "c":
        verdict = "met" if gain > 0 else "MISSED"
        print(
            f"  target: greedy leaves needs unmet that the optimum meets: {verdict} "
            f"(optimum {optimal.met:,}, greedy {greedy.met:,})"
        )


def reasons_text(reasons: dict) -> str:
    from wushe.matching.solver import REASONS

    text = ", ".join(f"{REASONS[code]} {count:,}" for code, count in sorted(reasons.items()))
    return text or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for name in CASES if args.case == "all" else [args.case]:
        run(CASES[name], args.seed)


if __name__ == "__main__":
    main()
