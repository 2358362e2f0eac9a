"""A volunteer account opens only the volunteer pages: every staff page and API answers 404,
and no scoped query gives them a row, whatever the region their account belongs to."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from conftest import make_user
from wushe.accounts.models import Role, User
from wushe.people.models import Resident
from wushe.regions.models import Region

SHEKOU = "440305005000"


@pytest.fixture
def volunteer(db) -> User:
    village = Region.objects.filter(parent_id=SHEKOU).order_by("code").first()
    return make_user("volunteer_li", village.code, Role.VOLUNTEER)


def _staff_paths() -> list[str]:
    """Every page and API path without arguments, outside the volunteer's allowed prefixes."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern).removeprefix("^").removesuffix("$")
            if any(mark in route for mark in "<([\\?.*+"):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    allowed = ("/volunteer/", "/api/volunteer/", "/login/", "/logout/", "/i18n/", "/static/")
    return sorted({p for p in paths if p != "/" and not p.startswith(allowed)})


def test_it_knows_the_staff_pages():
    paths = _staff_paths()
    assert "/residents/" in paths
    assert "/api/residents/" in paths
    assert "/admin/" in paths


def test_a_volunteer_gets_404_from_every_staff_page(client, volunteer):
    client.force_login(volunteer)
    for path in _staff_paths():
        assert client.get(path).status_code == 404, path


def test_a_volunteer_token_gets_404_from_the_staff_api(client, volunteer):
    token = Token.objects.create(user=volunteer)
    # /api/auth/token/ reads no credentials: it is where a token is asked for.
    api = [p for p in _staff_paths() if p.startswith("/api/") and p != "/api/auth/token/"]
    assert api
    for path in api:
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {token.key}")
        assert response.status_code == 404, path


def test_a_volunteer_is_given_no_row_by_visible_to(volunteer, shekou_worker):
    assert Region.objects.filter(code=volunteer.region_id).exists()
    assert not volunteer.can_see_code(volunteer.region_id)
    assert Resident.objects.visible_to(volunteer).query.is_empty()
    assert not User.objects.visible_to(volunteer).exists()
    assert User.objects.visible_to(shekou_worker).filter(pk=volunteer.pk).exists()


def test_a_volunteer_is_sent_from_home_to_their_tasks(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/volunteer/"
    page = client.get("/volunteer/")
    assert page.status_code == 200
    assert "/residents/" not in page.content.decode()


def test_staff_cannot_open_the_volunteer_portal(client, shekou_worker):
    client.force_login(shekou_worker)
    assert client.get("/volunteer/").status_code == 404
