import pytest

from conftest import PASSWORD
from wushe.audit.models import Action, AuditEntry
from wushe.core.tests.api_client import token_client

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/auth/token/"


def test_it_gives_a_token_that_opens_the_api(yuehai_manager):
    client = token_client()
    response = client.post(TOKEN_URL, {"username": "yuehai_manager", "password": PASSWORD})
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/me/").json()
    assert me["username"] == "yuehai_manager"
    assert me["full_name"] == "yuehai_manager"
    assert me["role"] == "manager"
    assert me["region"] == {"code": "440305007000", "name": "粤海街道", "level": 4}
    assert me["can_edit_sites"] is True
    assert me["can_read_audit"] is False


def test_a_form_encoded_request_works_too(yuehai_manager):
    body = f"username=yuehai_manager&password={PASSWORD.replace(' ', '+')}"
    response = token_client().post(
        TOKEN_URL, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_the_same_token_is_given_twice_and_each_login_is_audited(yuehai_manager):
    client = token_client()
    credentials = {"username": "yuehai_manager", "password": PASSWORD}
    first = client.post(TOKEN_URL, credentials, format="json").json()["token"]
    second = client.post(TOKEN_URL, credentials, format="json").json()["token"]
    assert first == second
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor=yuehai_manager).count() == 2


def test_a_wrong_password_is_400_and_audited(yuehai_manager):
    response = token_client().post(TOKEN_URL, {"username": "yuehai_manager", "password": "no"})
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert "token" not in response.json()
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert (entry.actor, entry.success) == (yuehai_manager, False)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "x"}, "password"),
        ({"password": "x"}, "username"),
        ({"username": ""}, "username"),
    ],
)
def test_a_missing_field_is_400(payload, field):
    response = token_client().post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()[field]


def test_repeated_failures_lock_the_account_for_the_api_too(yuehai_manager, settings):
    client = token_client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "yuehai_manager", "password": "wrong"})
    response = client.post(TOKEN_URL, {"username": "yuehai_manager", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["detail"]
    assert "token" not in response.json()


def test_without_credentials_every_endpoint_is_401(yuehai_station):
    client = token_client()
    for url in (
        "/api/me/",
        "/api/regions/",
        "/api/regions/440305/",
        "/api/sites/",
        f"/api/sites/{yuehai_station.pk}/",
        "/api/coverage/",
        "/api/users/",
        "/api/audit/",
    ):
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
        assert response.json()["detail"]


def test_a_wrong_token_is_401(nanshan_admin):
    client = token_client()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get("/api/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token")
    assert client.get("/api/me/").status_code == 401


def test_an_inactive_users_token_stops_working(nanshan_admin):
    client = token_client(nanshan_admin)
    assert client.get("/api/me/").status_code == 200
    nanshan_admin.is_active = False
    nanshan_admin.save()
    assert client.get("/api/me/").status_code == 401


def test_a_browser_session_works_too(client, nanshan_auditor):
    client.force_login(nanshan_auditor)
    response = client.get("/api/me/")
    assert response.status_code == 200
    assert response.json()["can_read_audit"] is True
    assert response.json()["can_edit_sites"] is False


def test_a_session_write_needs_the_csrf_token(nanshan_admin):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(nanshan_admin)
    payload = {"name": "站", "kind": "station", "region": "440305007"}
    assert client.post("/api/sites/", payload, format="json").status_code == 403
