import io

import pytest
from django.core.management import call_command

from conftest import NANSHAN, SHEKOU
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site

pytestmark = pytest.mark.django_db


def test_recount_counts_sites_written_in_bulk():
    Site.objects.bulk_create(
        [Site(name="批量", kind=SiteKind.STATION, region_id=SHEKOU, status=SiteStatus.OPERATING)]
    )
    out = io.StringIO()
    call_command("regions", "recount", stdout=out)
    assert "rebuilt" in out.getvalue()
    assert Region.objects.get(code=NANSHAN).operating_stations == 1
