import pytest

from conftest import NANSHAN, YUEHAI, YUEHAI_VILLAGE, make_site
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region
from wushe.regions.selectors import coverage_by_child, coverage_of

pytestmark = pytest.mark.django_db


def test_coverage_counts_operating_stations_over_townships(
    nanshan_admin, yuehai_station, yuehai_room
):
    make_site("440305005000", SiteKind.STATION, "蛇口街道社工站", status=SiteStatus.PLANNED)
    coverage = coverage_of(user=nanshan_admin, region=Region.objects.get(code=NANSHAN))
    assert (coverage.townships, coverage.stations, coverage.station_rate) == (9, 1, 11.1)
    assert (coverage.villages, coverage.rooms, coverage.room_rate) == (108, 1, 0.9)


def test_coverage_by_child_gives_each_street_its_own_figures(
    nanshan_admin, yuehai_station, yuehai_room, django_assert_num_queries
):
    nanshan = Region.objects.get(code=NANSHAN)
    assert nanshan_admin.region  # the user's own region is loaded once per request
    with django_assert_num_queries(1):
        rows = {
            row.region.code: row for row in coverage_by_child(user=nanshan_admin, region=nanshan)
        }
    assert len(rows) == 9
    yuehai = rows[YUEHAI]
    assert (yuehai.townships, yuehai.stations, yuehai.station_rate) == (1, 1, 100.0)
    assert (yuehai.villages, yuehai.rooms) == (16, 1)
    assert rows["440305005000"].stations == 0


def test_coverage_of_a_village_is_its_room(nanshan_admin, yuehai_room):
    village = Region.objects.get(code=YUEHAI_VILLAGE)
    assert coverage_of(user=nanshan_admin, region=village).rooms == 1


def test_coverage_of_a_city_rolls_up_both_counties(nanshan_admin, yuehai_station, futian_station):
    from conftest import make_user
    from wushe.accounts.models import Role

    city_admin = make_user("sz_admin", "440300000000", Role.ADMIN)
    shenzhen = Region.objects.get(code="440300000000")
    rows = {
        row.region.code: row.stations for row in coverage_by_child(user=city_admin, region=shenzhen)
    }
    assert rows == {"440304000000": 1, "440305000000": 1}
    assert coverage_of(user=city_admin, region=shenzhen).stations == 2
