"""The matching solver on constructed examples: inputs, reasons, costs, explanations, and the
package standing apart from Django."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from wushe.matching.solver import (
    ALL_WEEK,
    LONG_TERM,
    NO_CANDIDATE_SKILL,
    NO_CAPACITY,
    NO_SKILL_NEARBY,
    NO_TIME,
    NORMAL,
    URGENT,
    Need,
    Needs,
    Supplier,
    Suppliers,
    Weights,
    describe,
    describe_unmet,
    find_candidates,
    greedy_match,
    match,
    pair_problem,
    planar_km,
    skill_mask,
    slot_bit,
)

VISIT, MEALS, LAW = (skill_mask([n]) for n in range(3))  # 陪伴探访, 助餐送餐, 法律咨询
MONDAY_MORNING, SUNDAY_EVENING = slot_bit(0, 0), slot_bit(6, 2)


def needs(*rows: Need) -> Needs:
    return Needs.from_records(rows)


def suppliers(*rows: Supplier) -> Suppliers:
    return Suppliers.from_records(rows)


def by_need(result) -> dict:
    return {p.need_id: p for p in result.proposals}


def reasons(result) -> dict:
    return {u.need_id: u.reason for u in result.unmet}


def test_it_imports_no_django():
    code = (
        "import sys, wushe.matching.solver; "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_it_says_which_constraint_failed_for_each_unmet_need():
    result = match(
        needs(
            Need(1, 0, 0, skills=LAW),  # nobody knows the law
            Need(2, 50, 0, skills=VISIT),  # a visitor exists, but 50 km away
            Need(3, 0, 0, skills=MEALS, window=SUNDAY_EVENING),  # the cook is busy then
            Need(4, 0, 0, skills=VISIT, urgency=NORMAL),  # the visitor went to need 5
            Need(5, 0, 0, skills=VISIT, urgency=URGENT),
        ),
        suppliers(
            Supplier(10, 0.5, 0, skills=VISIT, capacity=1, radius_km=3),
            Supplier(11, 0, 0.5, skills=MEALS, availability=MONDAY_MORNING, radius_km=3),
        ),
    )
    assert reasons(result) == {
        1: NO_CANDIDATE_SKILL,
        2: NO_SKILL_NEARBY,
        3: NO_TIME,
        4: NO_CAPACITY,
    }
    assert by_need(result)[5].supplier_id == 10
    assert {u.need_id: u.candidates for u in result.unmet} == {1: 0, 2: 0, 3: 0, 4: 1}
    assert describe_unmet(list(result.unmet)[1]) == (
        "need 2: unmet, no supplier with the skills lives within reach"
    )


def test_a_full_supplier_is_no_capacity_not_missing():
    result = match(
        needs(Need(1, 0, 0, skills=VISIT)),
        suppliers(Supplier(10, 0, 0, skills=VISIT, capacity=0, load=3)),
    )
    assert reasons(result) == {1: NO_CAPACITY}


def test_a_window_of_zero_takes_any_time_and_a_radius_reaches_its_edge():
    result = match(
        needs(Need(1, 3, 4, window=0)),
        suppliers(Supplier(10, 0, 0, availability=0, radius_km=5.0)),  # exactly 5 km away
    )
    assert by_need(result)[1].supplier_id == 10
    assert by_need(result)[1].distance_km == 5.0


def test_it_spends_a_supplier_where_no_one_else_can_go_unlike_greedy():
    # Need 1 comes first and is nearest to supplier 10, but can also use 11; need 2 only
    # reaches 10. Greedy gives 10 to need 1 and leaves need 2 unmet; the optimum meets both.
    rows = needs(Need(1, 0, 0, urgency=URGENT), Need(2, 2, 0, urgency=URGENT))
    pool = suppliers(
        Supplier(10, 0.5, 0, capacity=1, radius_km=2), Supplier(11, -1, 0, capacity=1, radius_km=1)
    )
    greedy, optimum = greedy_match(rows, pool), match(rows, pool)
    assert (greedy.met, optimum.met) == (1, 2)
    assert reasons(greedy) == {2: NO_CAPACITY}
    first = by_need(optimum)[1]
    assert (first.supplier_id, first.next_best_supplier_id) == (11, 10)
    assert first.next_best_cost < first.pair_cost and first.next_best_taken
    assert "cheaper alone but its week is full" in describe(first)


def test_greedy_serves_the_urgent_first_whatever_the_order():
    rows = needs(Need(1, 0, 0, urgency=LONG_TERM), Need(2, 0, 0, urgency=URGENT))
    greedy = greedy_match(rows, suppliers(Supplier(10, 0, 0, capacity=1)))
    assert by_need(greedy).keys() == {2}


def test_surplus_skills_keep_the_specialist_free():
    result = match(
        needs(Need(1, 0, 0, skills=VISIT)),
        suppliers(Supplier(10, 1, 0, skills=VISIT | LAW | MEALS), Supplier(11, 1, 0, skills=VISIT)),
    )
    chosen = by_need(result)[1]
    assert (chosen.supplier_id, chosen.skill_fit, chosen.skill_cost) == (11, 0, 0)
    assert (chosen.next_best_supplier_id, chosen.next_best_cost) == (10, 100 + 2 * 50 + 100)


def test_the_load_term_is_convex_and_spreads_the_work():
    weights = Weights(per_km=100, per_surplus_skill=0, load_step=100)
    rows = needs(Need(1, 0, 0, urgency=NORMAL), Need(2, 0, 0, urgency=URGENT))
    # One supplier with a task already: the urgent need takes its 2nd slot, the other its 3rd.
    alone = match(rows, suppliers(Supplier(10, 0, 0, capacity=2, load=1)), weights=weights)
    assert [(p.need_id, p.load_cost, p.load_after) for p in alone.proposals] == [
        (1, 300, 3),
        (2, 200, 3),
    ]
    assert alone.cost == 500
    # A second supplier 1.5 km off: its first task (100 + 150) beats the 3rd slot (300).
    pair = suppliers(Supplier(10, 0, 0, capacity=2, load=1), Supplier(11, 1.5, 0, capacity=1))
    spread = match(rows, pair, weights=weights)
    assert {p.supplier_id for p in spread.proposals} == {10, 11}
    assert spread.cost == 200 + 150 + 100


def test_proposals_follow_the_needs_order_and_explain_themselves():
    result = match(
        needs(Need(7, 0, 0), Need(3, 0, 1)),
        suppliers(Supplier(10, 0, 0.5, capacity=2)),
    )
    assert result.proposals.need_id.tolist() == [7, 3]
    assert result.proposals.next_best_supplier_id.tolist() == [-1, -1]
    assert describe(next(iter(result.proposals))).endswith("the only feasible supplier")
    assert set(result.seconds) == {"candidates", "solve", "explain", "total"}


def test_nothing_to_match_gives_an_empty_result():
    empty = match(needs(), suppliers(Supplier(10, 0, 0)))
    assert (empty.met, empty.cost, len(empty.unmet), len(empty.proposals)) == (0, 0, 0, 0)
    alone = match(needs(Need(1, 0, 0)), suppliers())
    assert reasons(alone) == {1: NO_CANDIDATE_SKILL}


def test_masks_of_64_bits_stay_exact():
    high = skill_mask([63])
    result = match(
        needs(Need(1, 0, 0, skills=high), Need(2, 0, 0, skills=VISIT)),
        suppliers(Supplier(10, 0, 0, skills=high | VISIT, capacity=2)),
    )
    assert result.met == 2
    assert Needs.from_records([Need(1, 0, 0, skills=high)]).skills.tolist() == [high]


def test_records_round_trip():
    rows = [Need(1, 0.5, 2.0, VISIT, MONDAY_MORNING, URGENT), Need(2, 1.0, 1.0)]
    assert list(Needs.from_records(rows).records()) == rows
    pool = [Supplier(1, 0, 0, LAW, ALL_WEEK, 3, 2.5, 0)]
    assert list(Suppliers.from_records(pool).records()) == pool


@pytest.mark.parametrize(
    "bad",
    [
        {"id": [1, 1]},
        {"urgency": [0, 3]},
        {"window": [0, 1 << 21]},
        {"skills": [0.5, 1]},
        {"x_km": [0.0, float("nan")]},
        {"skills": [-1, 0]},
        {"id": [1]},
    ],
)
def test_bad_needs_are_refused(bad):
    columns = {"id": [1, 2], "x_km": [0, 1], "y_km": [0, 1], "skills": [0, 1]}
    columns |= {"window": [0, 1], "urgency": [0, 1]} | bad
    with pytest.raises(ValueError):
        Needs(**columns)


@pytest.mark.parametrize(
    "bad",
    [
        {"capacity": [-1]},
        {"load": [-2]},
        {"radius_km": [float("inf")]},
        {"radius_km": [-0.5]},
        {"availability": [ALL_WEEK + 1]},
    ],
)
def test_bad_suppliers_are_refused(bad):
    columns = {"id": [1], "x_km": [0], "y_km": [0], "skills": [1], "availability": [1]}
    columns |= {"capacity": [1], "radius_km": [1.0], "load": [0]} | bad
    with pytest.raises(ValueError):
        Suppliers(**columns)


def test_bad_helpers_and_weights_are_refused():
    with pytest.raises(ValueError):
        slot_bit(7, 0)
    with pytest.raises(ValueError):
        skill_mask([64])
    with pytest.raises(ValueError):
        Weights(per_km=-1)
    with pytest.raises(TypeError):
        Needs(id=np.array([1]))


def test_degrees_project_to_kilometres_close_to_the_great_circle():
    # 南山区 (深圳湾) to 福田区 (市民中心): about 11 km apart.
    latitude, longitude = [22.5170, 22.5431], [113.9440, 114.0579]
    x, y = planar_km(latitude, longitude)
    planar = math.hypot(x[1] - x[0], y[1] - y[0])
    phi = [math.radians(v) for v in latitude]
    half = math.sin((phi[1] - phi[0]) / 2) ** 2 + math.cos(phi[0]) * math.cos(phi[1]) * (
        math.sin(math.radians(longitude[1] - longitude[0]) / 2) ** 2
    )
    great_circle = 2 * 6371.0088 * math.asin(math.sqrt(half))
    assert 11 < great_circle < 13
    assert abs(planar - great_circle) / great_circle < 0.001
    assert [axis.tolist() for axis in planar_km([22.5], [114.0], origin=(22.5, 114.0))] == [
        [0.0],
        [0.0],
    ]


def test_a_hand_made_pair_says_which_constraint_it_breaks():
    need = Need(1, 0, 0, skills=VISIT, window=MONDAY_MORNING)
    fine = Supplier(10, 3, 4, skills=VISIT, availability=MONDAY_MORNING, radius_km=5)
    assert pair_problem(need, fine) is None
    assert pair_problem(need, Supplier(11, 0, 0, skills=LAW)) == "missing_skill"
    assert pair_problem(need, Supplier(12, 3, 4, skills=VISIT, radius_km=4.9)) == "out_of_radius"
    late = Supplier(13, 0, 0, skills=VISIT, availability=SUNDAY_EVENING)
    assert pair_problem(need, late) == "no_time"
    full = Supplier(14, 0, 0, skills=VISIT, availability=MONDAY_MORNING, capacity=0)
    assert pair_problem(need, full) == "full"


def test_candidates_found_for_other_weights_are_refused():
    rows, pool = needs(Need(1, 0, 0)), suppliers(Supplier(10, 0, 0))
    found = find_candidates(rows, pool, Weights(per_km=1))
    with pytest.raises(ValueError):
        match(rows, pool, candidates=found)
    with pytest.raises(ValueError):
        greedy_match(needs(Need(1, 0, 0), Need(2, 0, 0)), pool, candidates=found)
    assert match(rows, pool, weights=Weights(per_km=1), candidates=found).met == 1
