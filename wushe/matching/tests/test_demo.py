"""The matching demo: points for every street and community of 南山区, open needs of the
residents already filed, organisations' offers; a second run adds nothing."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from conftest import SHEKOU, YUEHAI, make_site
from wushe.matching.demo import seed
from wushe.matching.models import Need, OrganisationOffer, RegionPoint
from wushe.matching.run_services import match_run
from wushe.matching.tests.sample import make_resident, make_volunteer
from wushe.organisations.tests.sample import make_organisation
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_points_needs_and_offers_once(nanshan_admin):
    county = Region.objects.get(code="440305000000")
    make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")
    make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")
    for index in range(12):
        make_resident(nanshan_admin, f"居民{index}", ("440305007003", "440305005001")[index % 2])
    make_organisation(nanshan_admin, "440305007000", 1)
    make_volunteer(nanshan_admin, "王近", "440305007003", skills=("meals", "visiting"))
    started = time.monotonic()
    added = seed(actor=nanshan_admin, county=county, today=timezone.localdate())
    assert time.monotonic() - started < 10
    places = Region.objects.within(county.subtree_range).filter(level__gte=Level.TOWNSHIP)
    assert RegionPoint.objects.count() == places.count()
    assert Need.objects.count() == 12 and OrganisationOffer.objects.count() == 1
    assert added == places.count() + 13
    assert seed(actor=nanshan_admin, county=county, today=timezone.localdate()) == 0
    result = match_run(actor=nanshan_admin, county=county, today=timezone.localdate())
    assert result.run.needs_count >= 1 and result.run.met + result.run.unmet_count >= 1
