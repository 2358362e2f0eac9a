"""The counters never disagree with the records: after any sequence of service calls, every
tally and filed count equals what ``recompute`` counts from the records."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wushe.statistics import recompute
from wushe.statistics.models import FiledBirthMonth, FiledCount, Tally
from wushe.statistics.tests.world import STEPS, World, clear, shenzhen_admin

pytestmark = pytest.mark.django_db

steps = st.lists(
    st.tuples(
        st.sampled_from(STEPS),
        st.integers(min_value=0, max_value=7),
        st.integers(min_value=0, max_value=15),
        st.integers(min_value=0, max_value=15),
    ),
    min_size=1,
    max_size=25,
)


def stored() -> dict:
    """Every non-zero counter row (a zero row and a missing row say the same)."""
    rows = {}
    for model, key in (
        (Tally, ("month", "metric")),
        (FiledCount, ("key",)),
        (FiledBirthMonth, ("born",)),
    ):
        for values in model.objects.exclude(value=0).values_list("region_code", *key, "value"):
            rows[(model.__name__, *values[:-1])] = values[-1]
    return rows


def assert_counters_equal_a_recompute() -> None:
    assert recompute.check() == []
    kept = stored()
    recompute.recompute()
    assert stored() == kept


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_the_counters_equal_a_recompute_after_any_sequence_of_service_calls(db, sequence):
    clear()
    world = World(shenzhen_admin())
    # A few files first, so most sequences have people to serve.
    world.run([("file", 0, 1, 0), ("file", 2, 6, 1), ("file", 3, 0, 2)])
    world.run(sequence)
    assert_counters_equal_a_recompute()


@pytest.mark.parametrize("seed", [7, 2026])
def test_a_long_random_day_of_work_leaves_the_counters_equal_to_the_records(db, seed):
    rng = random.Random(seed)
    clear()
    world = World(shenzhen_admin())
    sequence = [
        (rng.choice(STEPS), rng.randrange(8), rng.randrange(16), rng.randrange(16))
        for _step in range(150)
    ]
    world.run([("file", n, n, n) for n in range(6)] + sequence)
    assert FiledCount.objects.exists() and Tally.objects.exists()
    assert world.refused < 100, world.refused  # most steps were real changes
    assert_counters_equal_a_recompute()
