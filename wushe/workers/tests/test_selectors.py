"""Counts of social workers for the indicators: every figure equals a count by hand, in one
query, for a range, for many regions at once, and by child region."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import FUTIAN_TOWNSHIP, NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE, make_site
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region
from wushe.workers.choices import CertificateLevel, Employment, WorkerStatus
from wushe.workers.models import SocialWorker
from wushe.workers.selectors import worker_counts, worker_counts_by_child, worker_list
from wushe.workers.tests.sample import make_worker

pytestmark = pytest.mark.django_db

LEVELS = list(CertificateLevel.values)


@pytest.fixture
def staff(nanshan_admin, futian_admin):
    """About forty workers at a county centre, two stations, a room, and a Futian station,
    with random levels, employment, supervision and some who left."""
    sites = [
        make_site(NANSHAN, SiteKind.CENTRE, "南山区社会工作指导中心"),
        make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站"),
        make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站"),
        make_site(YUEHAI_VILLAGE, SiteKind.ROOM, "科技园社区社工室"),
    ]
    futian = make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站")
    rng = random.Random(16)
    for sequence in range(40):
        level = rng.choice(LEVELS)
        site = futian if sequence % 9 == 0 else rng.choice(sites)
        actor = futian_admin if site is futian else nanshan_admin
        left = rng.random() < 0.2
        make_worker(
            actor,
            site,
            sequence,
            certificate_level=level,
            employment=rng.choice(Employment.values),
            is_supervisor=rng.random() < 0.25,
            status=WorkerStatus.LEFT if left else WorkerStatus.ACTIVE,
            left_on=date(2025, 1, 1) if left else None,
        )


def by_hand(low: str, high: str) -> dict:
    active = [
        worker
        for worker in SocialWorker.objects.all()
        if low <= worker.region_code <= high and worker.status == WorkerStatus.ACTIVE
    ]
    by_level = {level: sum(w.certificate_level == level for w in active) for level in LEVELS}
    full_time = sum(w.employment == Employment.FULL_TIME for w in active)
    return {
        "total": len(active),
        "workers": len(active),
        "full_time": full_time,
        "part_time": len(active) - full_time,
        "certified": len(active) - by_level["none"],
        "by_level": by_level,
        "supervisors": sum(w.is_supervisor for w in active),
    }


def test_counts_of_a_range_equal_a_count_by_hand_in_one_query(staff):
    for code in (NANSHAN, YUEHAI, SHEKOU, YUEHAI_VILLAGE, "440300000000"):
        region = Region.objects.get(code=code)
        with CaptureQueriesContext(connection) as queries:
            counts = worker_counts(region.subtree_range)
        assert len(queries) == 1
        assert counts == by_hand(*region.subtree_range), code
        assert counts["total"] > 0


def test_counts_for_many_regions_come_from_one_query_each_for_its_subtree(staff):
    codes = [NANSHAN, YUEHAI, SHEKOU, YUEHAI_VILLAGE, "440304000000", "440305001000"]
    with CaptureQueriesContext(connection) as queries:
        found = worker_counts(region_codes=codes)
    assert len(queries) == 1
    for code in codes:
        region = Region.objects.get(code=code)
        assert found[code] == by_hand(*region.subtree_range), code
    assert found["440305001000"]["total"] == 0
    assert worker_counts(region_codes=[]) == {}


def test_counts_by_child_cover_every_child_and_leave_the_centre_out(staff):
    nanshan = Region.objects.get(code=NANSHAN)
    children = worker_counts_by_child(nanshan)
    assert set(children) == set(
        Region.objects.filter(parent=nanshan).values_list("code", flat=True)
    )
    for code, figures in children.items():
        assert figures == by_hand(*Region.objects.get(code=code).subtree_range), code
    at_centre = by_hand(NANSHAN, NANSHAN)["total"]  # the county's own centre: no child's
    assert at_centre > 0
    in_children = sum(figures["total"] for figures in children.values())
    assert in_children + at_centre == worker_counts(nanshan.subtree_range)["total"]
    yuehai = worker_counts_by_child(Region.objects.get(code=YUEHAI))
    assert yuehai[YUEHAI_VILLAGE] == by_hand(YUEHAI_VILLAGE, YUEHAI_VILLAGE)


def test_the_list_is_scoped_and_filters(staff, yuehai_manager, futian_admin):
    yuehai = set(worker_list(user=yuehai_manager).values_list("region_code", flat=True))
    assert yuehai and all(code.startswith("440305007") for code in yuehai)
    assert not worker_list(user=futian_admin).filter(region_code__startswith="440305").exists()
    certified = worker_list(user=yuehai_manager, filters={"certified": "true"})
    assert all(w.certificate_level != "none" for w in certified)
    site = worker_list(user=yuehai_manager).first().site
    at_site = worker_list(user=yuehai_manager, filters={"site": str(site.pk)})
    assert {w.site_id for w in at_site} == {site.pk}
    futian_site = worker_list(user=futian_admin).first().site
    with pytest.raises(Exception) as caught:
        worker_list(user=yuehai_manager, filters={"site": str(futian_site.pk)})
    assert "site" in caught.value.message_dict
