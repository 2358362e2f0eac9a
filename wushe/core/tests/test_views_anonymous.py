import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", []),
    ("user_list", []),
    ("user_create", []),
    ("regions:region_own", []),
    ("regions:region_detail", ["440305"]),
    ("regions:region_search", []),
    ("regions:coverage", []),
    ("regions:site_list", []),
    ("regions:site_export", []),
    ("regions:site_create", []),
    ("regions:site_detail", [1]),
    ("regions:site_edit", [1]),
    ("regions:site_delete", [1]),
    ("audit:entry_list", []),
]


@pytest.mark.parametrize("name, args", PAGES)
def test_every_page_sends_anonymous_visitors_to_the_login_page(client, yuehai_station, name, args):
    path = reverse(name, args=args)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={path}"


def test_static_files_are_served_from_the_package(client):
    assert client.get("/static/wushe/wushe.css").status_code == 200
    assert client.get("/static/wushe/vendor/htmx.min.js").status_code == 200
