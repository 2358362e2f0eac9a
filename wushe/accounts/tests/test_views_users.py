import pytest
from django.urls import reverse

from conftest import PASSWORD
from wushe.accounts.models import Role, User
from wushe.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "xili_worker",
    "full_name": "西丽社工",
    "email": "",
    "role": Role.WORKER,
    "region": "440305009",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def test_an_administrator_lists_only_users_of_the_subtree(client, cast):
    client.force_login(cast["nanshan_admin"])
    response = client.get(reverse("user_list"))
    assert response.status_code == 200
    names = {person.username for person in response.context["page"]}
    assert names == {"nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor"}
    body = response.content.decode()
    assert "用户" in body and "futian_admin" not in body


@pytest.mark.parametrize("who", ["yuehai_manager", "shekou_worker", "nanshan_auditor"])
def test_other_roles_may_not_manage_users(client, cast, who):
    client.force_login(cast[who])
    assert client.get(reverse("user_list")).status_code == 403
    assert client.post(reverse("user_create"), NEW_USER).status_code == 403
    assert not User.objects.filter(username="xili_worker").exists()


def test_an_administrator_creates_a_user_and_it_is_audited(client, nanshan_admin):
    client.force_login(nanshan_admin)
    response = client.post(reverse("user_create"), NEW_USER)
    assert response.status_code == 302
    created = User.objects.get(username="xili_worker")
    assert (created.region_id, created.role) == ("440305009000", Role.WORKER)
    assert created.check_password(PASSWORD)
    assert AuditEntry.objects.filter(
        action=Action.CREATE, object_type="accounts.user", object_id=str(created.pk)
    ).exists()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"region": "440304002"}, "region", "没有该区划"),  # 福田: outside 南山
        ({"region": "44030"}, "region", "不是区划代码"),
        ({"role": "mayor"}, "role", "选择一个有效的选项"),
        ({"password2": "something else"}, "password2", "两次输入的密码不一致"),
        ({"password1": "password123", "password2": "password123"}, "password1", "太常见"),
        ({"username": "yuehai_manager"}, "username", "已存在"),
        ({"role": Role.MANAGER, "region": "440305009003"}, "region", "不能属于"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_written(
    client, cast, change, field, message
):
    client.force_login(cast["nanshan_admin"])
    before = User.objects.count()
    response = client.post(reverse("user_create"), {**NEW_USER, **change})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors, errors
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_the_create_form_speaks_english_once_chosen(client, nanshan_admin):
    client.force_login(nanshan_admin)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("user_create"), {**NEW_USER, "region": "440304002"})
    assert "No such region." in response.content.decode()
    assert "New user" in response.content.decode()
