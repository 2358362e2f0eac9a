import pytest
from django.urls import reverse

from conftest import PASSWORD
from wushe.audit.models import Action, AuditEntry
from wushe.regions.codes import ROOT_CODE

pytestmark = pytest.mark.django_db


def test_a_failed_login_is_recorded_with_the_users_region(client, yuehai_manager):
    client.post(
        reverse("login"),
        {"username": "yuehai_manager", "password": "wrong"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.success is False
    assert entry.actor == yuehai_manager
    assert entry.region_code == yuehai_manager.region_id
    assert entry.ip == "10.1.2.3"


def test_a_failed_login_for_an_unknown_name_is_for_national_eyes_only(client):
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.region_code == ROOT_CODE


def test_a_login_is_recorded(client, yuehai_manager):
    response = client.post(reverse("login"), {"username": "yuehai_manager", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor=yuehai_manager).exists()


def test_repeated_failures_lock_the_account(client, yuehai_manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "yuehai_manager", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "yuehai_manager", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
