import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_session_expires_after_the_configured_idle_time_and_with_the_browser(
    client, yuehai_manager, settings
):
    client.post(reverse("login"), {"username": "yuehai_manager", "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 3600
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and not cookie["max-age"]  # a browser-session cookie


def test_an_expired_session_is_logged_out(client, yuehai_manager, settings):
    client.post(reverse("login"), {"username": "yuehai_manager", "password": PASSWORD})
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
