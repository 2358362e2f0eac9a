"""A month-end snapshot holds exactly what the live selectors give for every region at that
moment: on random workers, volunteers and filed residents across two counties, and (for the
roll-up rule alone) on random codes of any depth."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import make_site
from wushe.accounts.models import Role
from wushe.indicators import snapshots
from wushe.indicators.elements import rolled_up, significant_prefix
from wushe.indicators.models import DataElement
from wushe.indicators.periods import Period
from wushe.indicators.selectors import element_values
from wushe.indicators.services import snapshot_month
from wushe.people.choices import Category
from wushe.people.identity import make_id_number
from wushe.regions import loader
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level
from wushe.regions.models import Region

NOVEMBER = date(2026, 11, 1)
# Codes of every depth: the two counties' real tree, and 东莞's city without counties, whose
# city and county forms are one node.
CODES = [row[0] for county in ("440305", "440304") for row in loader.read_rows(county)]
CODES += ["441900000000", "441900003000", "441900003001", "441900003002"]


@given(st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 9)), max_size=40))
def test_rolling_up_counts_each_record_under_exactly_the_prefixes_grouped_finds(own):
    found = rolled_up(own)
    for code in set(CODES):
        head = significant_prefix(code)
        assert found.get(code, 0) == sum(n for where, n in own if where.startswith(head)), code
    assert all(found.values())  # zeros are not kept


def _world(rng: random.Random, actor) -> None:
    """Random sites, workers (some left), volunteers (some not active) and filed residents."""
    from wushe.people.services import resident_file
    from wushe.volunteers.choices import Status as VolunteerStatus
    from wushe.volunteers.services import volunteer_register, volunteer_update
    from wushe.workers.choices import CertificateLevel, WorkerStatus
    from wushe.workers.services import worker_update
    from wushe.workers.tests.sample import make_worker

    townships = list(Region.objects.filter(level=Level.TOWNSHIP).values_list("code", flat=True))
    villages = list(Region.objects.filter(level=Level.VILLAGE).values_list("code", flat=True))
    sites = [make_site(code, SiteKind.CENTRE, f"中心{code}") for code in ("440305000000",)]
    sites += [make_site(code, SiteKind.STATION, f"站{code}") for code in rng.sample(townships, 4)]
    sites += [make_site(code, SiteKind.ROOM, f"室{code}") for code in rng.sample(villages, 5)]
    for sequence in range(rng.randint(6, 14)):
        worker = make_worker(
            actor,
            rng.choice(sites),
            sequence,
            certificate_level=rng.choice(CertificateLevel.values),
        )
        if rng.random() < 0.25:
            worker_update(
                actor=actor, worker=worker, status=WorkerStatus.LEFT, left_on=date(2026, 11, 2)
            )
    for sequence in range(rng.randint(4, 12)):
        volunteer = volunteer_register(
            actor=actor,
            name=f"志愿者{sequence}",
            id_number=make_id_number("440305", date(1980, 1, 1), 600 + sequence),
            phone=f"1380013{sequence:04d}",
            region=Region.objects.get(code=rng.choice(villages)),
        )
        if rng.random() < 0.3:
            status = rng.choice([VolunteerStatus.SUSPENDED, VolunteerStatus.LEFT])
            volunteer_update(actor=actor, volunteer=volunteer, status=status)
    safe = [
        Category.SUBSISTENCE,
        Category.NEAR_SUBSISTENCE,
        Category.EXTREME_POVERTY,
        Category.OTHER,
    ]
    for sequence in range(rng.randint(4, 12)):
        resident_file(
            actor=actor,
            name=f"居民{sequence}",
            id_number=make_id_number("440305", date(1950, 3, 3), 300 + sequence),
            region=Region.objects.get(code=rng.choice(villages)),
            categories=rng.sample(safe, rng.randint(0, 2)),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [5, 2026])
def test_the_snapshot_equals_the_live_selectors_for_every_region(seed, monkeypatch):
    from conftest import make_user

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 24))
    _world(random.Random(seed), make_user("shenzhen", "440300000000", Role.ADMIN))
    every = list(Region.objects.order_by("code").values_list("code", flat=True))
    taken = snapshot_month()
    assert {"social_workers", "social_workers_certified", "volunteers"} <= set(taken.elements)
    live = {
        code: element_values(DataElement.objects.get(code=code), every, Period.current())
        for code in taken.elements
    }
    assert any(live["social_workers"].values()) and any(live["volunteers"].values())
    for code in taken.elements:
        assert snapshots.read(code, every, NOVEMBER) == live[code], code
    # Read back through the selectors once November has ended: the same figures.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 1))
    for code in taken.elements:
        element = DataElement.objects.get(code=code)
        assert element_values(element, every, Period.of_month(NOVEMBER)) == live[code], code
