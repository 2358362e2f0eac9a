"""The operating-site counters on region rows always equal a recount from the sites."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.regions import counters
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import ROOT_CODE
from wushe.regions.models import Region, Site
from wushe.regions.services import site_create, site_delete, site_update

pytestmark = pytest.mark.django_db

FIELDS = ["operating_centres", "operating_stations", "operating_rooms"]
PLACES = {
    SiteKind.STATION: [YUEHAI, SHEKOU],
    SiteKind.ROOM: [YUEHAI_VILLAGE, "440305007004", "440305005001"],
    SiteKind.CENTRE: [NANSHAN],
}


def snapshot() -> dict:
    return {
        code: values for code, *values in Region.objects.values_list("code", *FIELDS) if any(values)
    }


operations = st.lists(
    st.tuples(
        st.sampled_from(["create", "status", "move", "delete"]),
        st.sampled_from(list(PLACES)),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(list(SiteStatus)),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_counters_match_a_recount_after_any_sequence_of_changes(nanshan_admin, steps):
    Site.objects.all().delete()
    counters.recount()
    for action, kind, index, status in steps:
        places = PLACES[kind]
        code = places[index % len(places)]
        existing = Site.objects.filter(kind=kind).order_by("pk").first()
        try:
            if action == "create" or existing is None:
                site_create(
                    actor=nanshan_admin,
                    name="站点",
                    kind=kind,
                    region=Region.objects.get(code=code),
                    status=status,
                )
            elif action == "status":
                site_update(actor=nanshan_admin, site=existing, status=status)
            elif action == "move":
                site_update(
                    actor=nanshan_admin, site=existing, region=Region.objects.get(code=code)
                )
            else:
                site_delete(actor=nanshan_admin, site=existing)
        except Exception as error:  # a refused change (duplicate station…) changes nothing
            assert "ValidationError" in type(error).__name__
    kept = snapshot()
    counters.recount()
    assert snapshot() == kept
    operating = Site.objects.filter(status=SiteStatus.OPERATING)
    root = Region.objects.get(code=ROOT_CODE)
    assert root.operating_stations == operating.filter(kind=SiteKind.STATION).count()
    assert root.operating_rooms == operating.filter(kind=SiteKind.ROOM).count()


def test_recount_rebuilds_counts_after_a_bulk_write(yuehai_station):
    Site.objects.bulk_create(
        [Site(name="批量", kind=SiteKind.STATION, region_id=SHEKOU, status=SiteStatus.OPERATING)]
    )
    assert Region.objects.get(code=NANSHAN).operating_stations == 1  # not yet counted
    counters.recount()
    assert Region.objects.get(code=NANSHAN).operating_stations == 2
    assert Region.objects.get(code=SHEKOU).operating_stations == 1
    assert Region.objects.get(code=ROOT_CODE).operating_stations == 2
