"""Properties of the matching solver on random instances (hypothesis), checked against plain
Python written here from the definitions: hard constraints, costs, the brute-force optimum,
the greedy baseline, next-best candidates and unmet reasons."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from wushe.matching.solver import (
    NO_CANDIDATE_SKILL,
    NO_CAPACITY,
    NO_SKILL_NEARBY,
    NO_TIME,
    Need,
    Needs,
    Supplier,
    Suppliers,
    Weights,
    brute_force_match,
    find_candidates,
    greedy_match,
    match,
    pair_problem,
)

MANY = settings(max_examples=120, deadline=None)
FEW = settings(max_examples=60, deadline=None)
SOME = settings(max_examples=30, deadline=None)


@st.composite
def instances(draw, max_needs=6, max_suppliers=5, max_capacity=2, side=4, min_size=1):
    """Small worlds on a grid of half kilometres, so distances often land exactly on a radius
    (a 1.5 × 2 step is 2.5 km); 3 skills, 4 weekly slots."""
    coordinate = st.integers(0, side).map(lambda v: v / 2)
    needs = draw(
        st.lists(
            st.builds(
                Need,
                id=st.just(0),
                x_km=coordinate,
                y_km=coordinate,
                skills=st.sampled_from([0, 1, 2, 4, 3, 5]),
                window=st.one_of(st.just(0), st.integers(1, 15)),
                urgency=st.integers(0, 2),
            ),
            min_size=min(min_size, max_needs),
            max_size=max_needs,
        )
    )
    suppliers = draw(
        st.lists(
            st.builds(
                Supplier,
                id=st.just(0),
                x_km=coordinate,
                y_km=coordinate,
                skills=st.one_of(st.just(7), st.integers(0, 7)),
                availability=st.one_of(st.just(15), st.integers(0, 15)),
                capacity=st.sampled_from([*range(1, max_capacity + 1), 0]),
                radius_km=st.sampled_from([2.5, 1.5, 4.0, 1.0, 0.5, 0.0]),
                load=st.integers(0, 3),
            ),
            min_size=min(min_size, max_suppliers),
            max_size=max_suppliers,
        )
    )
    needs = [Need(100 + i, *astuple(need)[1:]) for i, need in enumerate(needs)]
    # Supplier ids run against the index order, so a tie broken by id is not one by index.
    suppliers = [Supplier(900 - j, *astuple(s)[1:]) for j, s in enumerate(suppliers)]
    weights = draw(
        st.builds(
            Weights,
            per_km=st.sampled_from([0, 1, 100]),
            per_surplus_skill=st.sampled_from([0, 50]),
            load_step=st.sampled_from([0, 1, 100]),
        )
    )
    return Needs.from_records(needs), Suppliers.from_records(suppliers), weights


def astuple(record) -> tuple:
    return tuple(getattr(record, name) for name in record.__dataclass_fields__)


def fits(need: Need, supplier: Supplier) -> bool:
    """The per-pair hard constraints, from the definitions."""
    dx, dy = need.x_km - supplier.x_km, need.y_km - supplier.y_km
    return (
        math.sqrt(dx * dx + dy * dy) <= supplier.radius_km
        and supplier.skills & need.skills == need.skills
        and (need.window == 0 or supplier.availability & need.window != 0)
    )


def arc_cost(need: Need, supplier: Supplier, weights: Weights) -> int:
    dx, dy = need.x_km - supplier.x_km, need.y_km - supplier.y_km
    distance = math.floor(math.sqrt(dx * dx + dy * dy) * weights.per_km + 0.5)
    return distance + weights.per_surplus_skill * (supplier.skills & ~need.skills).bit_count()


def checked(needs: Needs, suppliers: Suppliers, weights: Weights, result) -> None:
    """No hard constraint broken; the totals and costs the result states are right."""
    need_list, supplier_list = list(needs.records()), list(suppliers.records())
    given = [0] * len(supplier_list)
    tiers = [0, 0, 0]
    cost = 0
    met = set()
    for i, j in enumerate(result.assignment.tolist()):
        if j < 0:
            continue
        need, supplier = need_list[i], supplier_list[j]
        assert fits(need, supplier), (need, supplier)
        given[j] += 1
        tiers[need.urgency] += 1
        cost += arc_cost(need, supplier, weights)
        met.add(need.id)
    for j, supplier in enumerate(supplier_list):
        assert given[j] <= supplier.capacity
        cost += sum(weights.slot_cost(supplier.load + k) for k in range(1, given[j] + 1))
    assert result.met_by_urgency == tuple(tiers)
    assert result.met == len(met) == len(result.proposals)
    assert result.met_urgent == tiers[0]
    assert result.cost == cost == int(result.proposals.cost.sum())
    assert set(result.proposals.need_id.tolist()) == met
    assert set(result.unmet.need_id.tolist()) == set(needs.id.tolist()) - met
    for proposal in result.proposals:
        assert proposal.cost == proposal.distance_cost + proposal.skill_cost + proposal.load_cost


@MANY
@given(instances(min_size=3))
def test_it_equals_the_brute_force_optimum_on_small_instances(instance):
    needs, suppliers, weights = instance
    optimum = brute_force_match(needs, suppliers, weights=weights)
    result = match(needs, suppliers, weights=weights)
    checked(needs, suppliers, weights, optimum)
    checked(needs, suppliers, weights, result)
    assert result.objective() == optimum.objective()


def slot_columns(suppliers: Suppliers) -> list[tuple[int, int]]:
    """(supplier index, k-th task of its week) of every slot with capacity."""
    return [
        (j, s.load + t) for j, s in enumerate(suppliers.records()) for t in range(1, s.capacity + 1)
    ]


def hungarian_objective(needs: Needs, suppliers: Suppliers, weights: Weights):
    """The same optimum through SciPy's dense Hungarian method on needs × (slots + one
    "not met" column per need): a formulation and a solver independent of ours."""
    need_list, supplier_list = list(needs.records()), list(suppliers.records())
    slots = slot_columns(suppliers)
    n = len(need_list)
    if n == 0:
        return (0, 0, 0, 0)
    worst = sum(
        max([arc_cost(need, s, weights) for s in supplier_list] + [0]) for need in need_list
    ) + n * max([weights.slot_cost(k) for _j, k in slots] + [0])
    big, forbidden = worst + 1, 10 * (worst + 1) * n + 10
    matrix = np.full((n, len(slots) + n), float(forbidden))
    for i, need in enumerate(need_list):
        for column, (j, k) in enumerate(slots):
            if fits(need, supplier_list[j]):
                matrix[i, column] = arc_cost(need, supplier_list[j], weights) + weights.slot_cost(k)
        matrix[i, len(slots) + i] = big * (3 - need.urgency)
    rows, columns = linear_sum_assignment(matrix)
    tiers, cost = [0, 0, 0], 0
    for i, column in zip(rows.tolist(), columns.tolist(), strict=True):
        if column < len(slots):
            assert matrix[i, column] < forbidden
            tiers[need_list[i].urgency] += 1
            cost += int(matrix[i, column])
    return (tiers[0], tiers[0] + tiers[1], sum(tiers), -cost)


def most_needs(needs: Needs, suppliers: Suppliers) -> int:
    """The most needs any assignment meets, urgency aside (a maximum bipartite matching)."""
    need_list, supplier_list = list(needs.records()), list(suppliers.records())
    slots = slot_columns(suppliers)
    if not need_list or not slots:
        return 0
    graph = np.array(
        [[fits(need, supplier_list[j]) for j, _k in slots] for need in need_list], dtype=np.int8
    )
    return int((maximum_bipartite_matching(csr_matrix(graph)) >= 0).sum())


@SOME
@given(instances(max_needs=30, max_suppliers=18, max_capacity=3, side=8, min_size=8))
def test_it_equals_an_independent_hungarian_optimum_and_meets_the_most_needs(instance):
    needs, suppliers, weights = instance
    result = match(needs, suppliers, weights=weights)
    checked(needs, suppliers, weights, result)
    assert result.objective() == hungarian_objective(needs, suppliers, weights)
    assert result.met == most_needs(needs, suppliers)


@FEW
@given(instances(max_needs=25, max_suppliers=15, max_capacity=3, side=8, min_size=4))
def test_it_never_does_worse_than_greedy(instance):
    needs, suppliers, weights = instance
    candidates = find_candidates(needs, suppliers, weights)
    optimum = match(needs, suppliers, weights=weights, candidates=candidates)
    greedy = greedy_match(needs, suppliers, weights=weights, candidates=candidates)
    checked(needs, suppliers, weights, greedy)
    assert optimum.met >= greedy.met
    assert optimum.met_urgent >= greedy.met_urgent
    if optimum.met_by_urgency == greedy.met_by_urgency:
        assert optimum.cost <= greedy.cost
    assert optimum.objective() >= greedy.objective()


@FEW
@given(instances(max_needs=30, max_suppliers=40, max_capacity=3, side=16))
def test_the_candidates_are_exactly_the_feasible_pairs(instance):
    needs, suppliers, weights = instance
    candidates = find_candidates(needs, suppliers, weights)
    need_list, supplier_list = list(needs.records()), list(suppliers.records())
    expected = [
        (i, j, arc_cost(need, supplier, weights))
        for i, need in enumerate(need_list)
        for j, supplier in enumerate(supplier_list)
        if fits(need, supplier)
    ]
    found = list(
        zip(
            candidates.need.tolist(),
            candidates.supplier.tolist(),
            candidates.arc_cost.tolist(),
            strict=True,
        )
    )
    assert found == expected
    usable = {(i, j) for i, j, _cost in expected if supplier_list[j].capacity > 0}
    for i, need in enumerate(need_list):
        for j, supplier in enumerate(supplier_list):
            assert (pair_problem(need, supplier) is None) == ((i, j) in usable)
    for i in range(len(need_list)):
        assert candidates.start[i + 1] - candidates.start[i] == candidates.feasible[i]


def expected_reason(need: Need, supplier_list: list[Supplier]) -> str:
    skilled = [s for s in supplier_list if s.skills & need.skills == need.skills]
    near = [s for s in skilled if fits(Need(need.id, need.x_km, need.y_km, need.skills), s)]
    if not skilled:
        return NO_CANDIDATE_SKILL
    if not near:
        return NO_SKILL_NEARBY
    if not any(fits(need, s) for s in near):
        return NO_TIME
    return NO_CAPACITY


@FEW
@given(instances(max_needs=12, max_suppliers=8, max_capacity=2, side=6))
def test_unmet_reasons_and_next_best_follow_their_definitions(instance):
    needs, suppliers, weights = instance
    result = match(needs, suppliers, weights=weights)
    need_list, supplier_list = list(needs.records()), list(suppliers.records())
    by_id = {need.id: i for i, need in enumerate(need_list)}
    given = np.bincount(result.assignment[result.assignment >= 0], minlength=len(supplier_list))
    for unmet in result.unmet:
        need = need_list[by_id[unmet.need_id]]
        assert unmet.reason == expected_reason(need, supplier_list)
        if unmet.reason == NO_CAPACITY:
            # Each supplier that could serve it is full, with needs at least as urgent.
            for j, supplier in enumerate(supplier_list):
                if fits(need, supplier):
                    assert given[j] == supplier.capacity
                    served = np.flatnonzero(result.assignment == j)
                    assert all(need_list[k].urgency <= need.urgency for k in served)
    for proposal in result.proposals:
        i = by_id[proposal.need_id]
        need, chosen = need_list[i], result.assignment[i]
        others = sorted(
            (
                arc_cost(need, s, weights) + weights.slot_cost(s.load + 1),
                s.id,
                math.hypot(need.x_km - s.x_km, need.y_km - s.y_km),
            )
            for j, s in enumerate(supplier_list)
            if j != chosen and s.capacity > 0 and fits(need, s)
        )
        alone = arc_cost(need, supplier_list[chosen], weights)
        assert proposal.pair_cost == alone + weights.slot_cost(supplier_list[chosen].load + 1)
        if others:
            assert (proposal.next_best_cost, proposal.next_best_supplier_id) == others[0][:2]
            assert math.isclose(proposal.next_best_distance_km, others[0][2])
        else:
            assert (proposal.next_best_supplier_id, proposal.next_best_cost) == (-1, -1)
            assert math.isnan(proposal.next_best_distance_km)
