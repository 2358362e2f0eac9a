import pytest
from django.urls import reverse

from conftest import make_site
from wushe.regions.choices import SiteKind, SiteStatus

pytestmark = pytest.mark.django_db


def test_it_redirects_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_counts_the_sites_and_coverage_of_the_users_subtree(
    client, nanshan_admin, yuehai_station, yuehai_room, futian_station
):
    make_site("440305007004", SiteKind.ROOM, "planned room", status=SiteStatus.PLANNED)
    client.force_login(nanshan_admin)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["counts"] == {
        "total": 3,
        "operating": 2,
        "stations": 1,
        "rooms": 2,
        "centres": 0,
    }
    coverage = response.context["coverage"]
    assert (coverage.townships, coverage.stations) == (9, 1)
    assert (coverage.villages, coverage.rooms) == (108, 1)
    body = response.content.decode()
    assert "首页" in body and "南山区" in body
    assert "11.1%" in body  # 1 of 9 townships


def test_a_county_administrator_of_futian_counts_nothing_of_nanshan(
    client, futian_admin, yuehai_station, yuehai_room, futian_station
):
    client.force_login(futian_admin)
    response = client.get(reverse("home"))
    assert response.context["counts"]["total"] == 1
    assert response.context["coverage"].stations == 1
    assert "南山" not in response.content.decode()


def test_it_speaks_english_once_chosen(client, shekou_worker):
    client.force_login(shekou_worker)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert "Home" in body and "Township stations" in body
    assert "首页" not in body


def test_the_home_page_takes_a_fixed_number_of_queries(
    client, nanshan_admin, yuehai_station, django_assert_max_num_queries
):
    client.force_login(nanshan_admin)
    with django_assert_max_num_queries(9):
        client.get(reverse("home"))
