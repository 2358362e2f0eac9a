import pytest

from conftest import FUTIAN, NANSHAN, YUEHAI, make_site
from wushe.core.tests.api_client import token_client
from wushe.regions.choices import SiteKind, SiteStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(yuehai_station, yuehai_room, futian_station):
    make_site("440305005000", SiteKind.STATION, "蛇口街道社工站", status=SiteStatus.PLANNED)


def test_it_gives_the_coverage_of_the_users_region_by_default(nanshan_admin, sites):
    body = token_client(nanshan_admin).get("/api/coverage/").json()
    assert body["region"] == {"code": NANSHAN, "name": "南山区", "level": 3}
    assert (body["townships"], body["stations"], body["station_rate"]) == (9, 1, 11.1)
    assert (body["villages"], body["rooms"], body["room_rate"]) == (108, 1, 0.9)
    children = {row["region"]["code"]: row for row in body["children"]}
    assert len(children) == 9
    assert (children[YUEHAI]["stations"], children[YUEHAI]["station_rate"]) == (1, 100.0)
    assert children["440305005000"]["stations"] == 0


def test_it_gives_the_coverage_of_a_region_by_code(nanshan_admin, sites):
    client = token_client(nanshan_admin)
    by_query = client.get("/api/coverage/", {"region": "440305007"}).json()
    by_path = client.get("/api/regions/440305007/coverage/").json()
    assert by_query == by_path
    assert by_query["region"]["code"] == YUEHAI
    assert (by_query["villages"], by_query["rooms"]) == (16, 1)
    assert len(by_query["children"]) == 16


def test_a_station_manager_sees_the_coverage_of_the_station(yuehai_manager, sites):
    body = token_client(yuehai_manager).get("/api/coverage/").json()
    assert body["region"]["code"] == YUEHAI


def test_other_counties_do_not_count_and_cannot_be_asked_for(futian_admin, sites):
    client = token_client(futian_admin)
    body = client.get("/api/coverage/").json()
    assert body["region"]["code"] == FUTIAN
    assert (body["stations"], body["rooms"]) == (1, 0)
    assert client.get("/api/coverage/", {"region": "440305"}).status_code == 404
    assert client.get("/api/coverage/", {"region": "44"}).status_code == 404


@pytest.mark.parametrize("code", ["4403x", "1234567", "\x00", "9" * 30])
def test_a_malformed_code_is_400(nanshan_admin, code):
    response = token_client(nanshan_admin).get("/api/coverage/", {"region": code})
    assert response.status_code == 400
    assert response.json()["region"]


def test_coverage_costs_a_fixed_number_of_queries(
    nanshan_admin, sites, django_assert_max_num_queries
):
    client = token_client(nanshan_admin)
    # token and user, the user's region, the node, its children, two groupings of site counts
    with django_assert_max_num_queries(6):
        body = client.get("/api/coverage/").json()
    assert len(body["children"]) == 9


def test_without_credentials_it_is_401():
    assert token_client().get("/api/coverage/").status_code == 401
