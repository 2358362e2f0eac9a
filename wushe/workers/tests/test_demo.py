"""The demo's social workers: written once, quickly, through the services, with a realistic
certified share."""

from __future__ import annotations

import time

import pytest

from conftest import NANSHAN, make_site
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level
from wushe.regions.models import Region
from wushe.workers.demo import WORKERS, seed
from wushe.workers.models import SocialWorker, Training
from wushe.workers.selectors import worker_counts, worker_counts_by_child

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_workers_across_the_stations_once(nanshan_admin):
    nanshan = Region.objects.get(code=NANSHAN)
    assert seed(actor=nanshan_admin, county=nanshan) == 0  # no site yet: nothing to do
    streets = Region.objects.filter(parent=nanshan, level=Level.TOWNSHIP)
    for street in streets:
        make_site(street.code, SiteKind.STATION, f"{street.name}社工站")
    make_site(NANSHAN, SiteKind.CENTRE, "南山区社会工作指导中心")
    started = time.monotonic()
    assert seed(actor=nanshan_admin, county=NANSHAN) == WORKERS
    assert time.monotonic() - started < 10
    assert SocialWorker.objects.count() == WORKERS and Training.objects.exists()
    counts = worker_counts(nanshan.subtree_range)
    assert 0.25 < counts["certified"] / counts["total"] < 0.6
    assert counts["full_time"] > counts["part_time"] and counts["supervisors"] > 0
    assert counts["total"] < WORKERS  # some have left
    by_street = worker_counts_by_child(nanshan)
    assert all(by_street[street.code]["total"] > 0 for street in streets)
    assert seed(actor=nanshan_admin, county=NANSHAN) == 0
    assert SocialWorker.objects.count() == WORKERS
