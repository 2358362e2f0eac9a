"""The demo's organisations: written once, quickly, through the services."""

from __future__ import annotations

import time

import pytest

from conftest import NANSHAN, make_site
from wushe.organisations.choices import OrganisationType
from wushe.organisations.credit_codes import is_valid_credit_code
from wushe.organisations.demo import COUNTY_ORGANISATIONS, seed
from wushe.organisations.models import IncubationPeriod, Organisation
from wushe.regions.choices import SiteKind
from wushe.regions.codes import Level
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_county_once(nanshan_admin):
    streets = Region.objects.filter(code__startswith="440305", level=Level.TOWNSHIP)
    for street in streets:
        make_site(street.code, SiteKind.STATION, f"{street.name}社工站")
    started = time.monotonic()
    written = seed(actor=nanshan_admin, county=NANSHAN)
    assert time.monotonic() - started < 10
    assert written == Organisation.objects.count() == len(COUNTY_ORGANISATIONS) + 2 * len(streets)
    assert 20 <= written <= 40
    coded = Organisation.objects.exclude(credit_code="")
    assert coded.count() == len(COUNTY_ORGANISATIONS)
    assert all(is_valid_credit_code(o.credit_code) for o in coded)
    assert not Organisation.objects.filter(credit_code="").exclude(kind=OrganisationType.COMMUNITY)
    assert Organisation.objects.filter(status="deregistered").exists()
    assert IncubationPeriod.objects.filter(left_on__isnull=True).exists()
    assert all(o.service_areas.exists() for o in Organisation.objects.all())
    assert seed(actor=nanshan_admin, county=NANSHAN) == 0
    assert Organisation.objects.count() == written
