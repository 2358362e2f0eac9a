import pytest
from django.urls import reverse

from conftest import PASSWORD
from wushe.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_page_in_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录" in body and "用户名" in body


def test_it_shows_the_login_page_in_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    body = client.get(reverse("login")).content.decode()
    assert "Log in" in body and "Username" in body


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(client, yuehai_manager):
    response = client.post(reverse("login"), {"username": "yuehai_manager", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_and_lands_on_home(client, yuehai_manager):
    response = client.post(reverse("login"), {"username": "yuehai_manager", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(yuehai_manager.pk)


def test_five_failures_lock_the_account_and_say_so_in_chinese(client, yuehai_manager, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": "yuehai_manager", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "yuehai_manager", "password": "wrong"})
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    # Even the right password is refused while the lock lasts.
    response = client.post(reverse("login"), {"username": "yuehai_manager", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_is_recorded(client, yuehai_manager):
    client.force_login(yuehai_manager)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=Action.LOGOUT, actor=yuehai_manager).exists()


def test_the_header_names_the_user_role_and_region(client, yuehai_manager):
    client.force_login(yuehai_manager)
    body = client.get(reverse("home")).content.decode()
    assert "yuehai_manager" in body and "粤海街道" in body
    assert 'action="/logout/" method="post"' in body
