import pytest
from django.urls import reverse

from conftest import NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE

pytestmark = pytest.mark.django_db


def test_it_shows_the_users_own_region_by_default(client, nanshan_admin, yuehai_station):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:coverage"))
    assert response.status_code == 200
    total = response.context["total"]
    assert (total.region.code, total.townships, total.stations) == (NANSHAN, 9, 1)
    rows = {row.region.code: row for row in response.context["children"]}
    assert rows[YUEHAI].stations == 1 and rows[YUEHAI].station_rate == 100.0
    assert rows[SHEKOU].stations == 0 and rows[SHEKOU].station_rate == 0.0
    body = response.content.decode()
    assert "社工站覆盖率" in body and "11.1%" in body


def test_it_shows_a_chosen_node_with_its_villages(client, nanshan_admin, yuehai_room):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:coverage"), {"region": "440305007"})
    assert response.context["total"].rooms == 1
    rows = {row.region.code: row for row in response.context["children"]}
    assert (rows[YUEHAI_VILLAGE].villages, rows[YUEHAI_VILLAGE].rooms) == (1, 1)
    assert rows[YUEHAI_VILLAGE].room_rate == 100.0
    assert rows["440305007004"].room_rate == 0.0


@pytest.mark.parametrize("code", ["440304", "abc", "4403050"])
def test_a_region_it_cannot_see_is_an_error_beside_the_field(client, nanshan_admin, code):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:coverage"), {"region": code})
    assert response.status_code == 400
    assert response.context["form"].errors["region"]
    assert response.context["total"].region.code == NANSHAN  # falls back to the user's own


def test_futian_sees_no_nanshan_figures(client, futian_admin, yuehai_station, futian_station):
    client.force_login(futian_admin)
    response = client.get(reverse("regions:coverage"))
    assert response.context["total"].stations == 1
    assert "粤海" not in response.content.decode()
    assert client.get(reverse("regions:coverage"), {"region": "440305"}).status_code == 400


def test_the_coverage_page_speaks_english_once_chosen(client, shekou_worker):
    client.force_login(shekou_worker)
    client.cookies["django_language"] = "en"
    assert "Room coverage" in client.get(reverse("regions:coverage")).content.decode()
