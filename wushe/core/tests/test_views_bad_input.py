"""Odd input on every page's query string or form is a page with an error, never a 500."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODD = ["\x00", "'; drop table x; --", "４４０３０５", "9" * 40, "-1", "1e999", "<script>", "%"]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    "name, keys",
    [
        ("regions:site_list", ["q", "kind", "status", "region", "ordering", "page"]),
        ("regions:site_export", ["q", "region", "ordering"]),
        ("regions:region_search", ["q"]),
        ("regions:coverage", ["region"]),
        ("audit:entry_list", ["action", "actor", "object_type", "since", "until", "page"]),
        ("user_list", ["page"]),
    ],
)
def test_odd_query_strings_never_break_a_page(
    client, nanshan_admin, yuehai_station, name, keys, value
):
    client.force_login(nanshan_admin)
    response = client.get(reverse(name), {key: value for key in keys})
    assert response.status_code in (200, 400)
    assert b"<script>" not in response.content


@pytest.mark.parametrize("value", ODD)
def test_odd_form_input_never_breaks_the_site_form(client, nanshan_admin, value):
    client.force_login(nanshan_admin)
    data = {
        field: value
        for field in ["name", "kind", "region", "status", "opened_on", "floor_area", "staff"]
    }
    response = client.post(reverse("regions:site_create"), data)
    assert response.status_code == 400


@pytest.mark.parametrize("value", ODD)
def test_odd_form_input_never_breaks_login_or_user_creation(client, nanshan_admin, value):
    assert client.post(reverse("login"), {"username": value, "password": value}).status_code in (
        200,
        429,
    )
    client.force_login(nanshan_admin)
    data = {key: value for key in ["username", "role", "region", "email", "password1"]}
    assert client.post(reverse("user_create"), data).status_code == 200


@pytest.mark.parametrize("page", ["site_detail", "site_edit", "site_delete"])
def test_a_site_number_too_large_for_the_database_is_not_found(client, nanshan_admin, page):
    client.force_login(nanshan_admin)
    assert client.get(reverse(f"regions:{page}", args=[10**30])).status_code == 404
