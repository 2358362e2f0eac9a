import pytest

from conftest import FUTIAN, PASSWORD, SHEKOU, YUEHAI, YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role, User
from wushe.audit.models import Action, AuditEntry
from wushe.core.tests.api_client import token_client

pytestmark = pytest.mark.django_db


def usernames(response) -> set[str]:
    return {row["username"] for row in response.json()["results"]}


def new_user(**fields) -> dict:
    return {
        "username": "keji_worker",
        "password": PASSWORD,
        "full_name": "科技园社工",
        "role": "worker",
        "region": YUEHAI_VILLAGE,
        **fields,
    }


def test_users_are_listed_within_the_subtree(cast):
    nanshan = usernames(token_client(cast["nanshan_admin"]).get("/api/users/"))
    assert nanshan == {"nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor"}
    assert usernames(token_client(cast["futian_admin"]).get("/api/users/")) == {"futian_admin"}
    assert usernames(token_client(cast["shekou_worker"]).get("/api/users/")) == {"shekou_worker"}


def test_a_user_outside_the_subtree_is_404(cast):
    url = f"/api/users/{cast['yuehai_manager'].pk}/"
    assert token_client(cast["nanshan_admin"]).get(url).json()["role"] == "manager"
    assert token_client(cast["futian_admin"]).get(url).status_code == 404
    assert token_client(cast["shekou_worker"]).get(url).status_code == 404


def test_it_filters_users_by_role(cast):
    response = token_client(cast["nanshan_admin"]).get("/api/users/", {"role": "auditor"})
    assert usernames(response) == {"nanshan_auditor"}
    bad = token_client(cast["nanshan_admin"]).get("/api/users/", {"role": "king"})
    assert bad.status_code == 400
    assert bad.json()["role"]


def test_an_administrator_creates_a_user_in_the_subtree(nanshan_admin):
    response = token_client(nanshan_admin).post("/api/users/", new_user(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "password" not in body
    assert body["region"]["code"] == YUEHAI_VILLAGE
    user = User.objects.get(username="keji_worker")
    assert (user.role, user.full_name) == (Role.WORKER, "科技园社工")
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action=Action.CREATE, object_id=str(user.pk)).exists()


def test_an_administrator_may_create_an_administrator_of_the_same_rank(nanshan_admin):
    payload = new_user(username="nanshan_admin_2", role="admin", region="440305")
    assert token_client(nanshan_admin).post("/api/users/", payload).status_code == 201


@pytest.mark.parametrize("who", ["yuehai_manager", "shekou_worker", "nanshan_auditor"])
def test_only_administrators_create_users(cast, who):
    payload = new_user(region=SHEKOU if who == "shekou_worker" else YUEHAI_VILLAGE)
    response = token_client(cast[who]).post("/api/users/", payload, format="json")
    assert response.status_code == 403
    assert token_client(cast[who]).post("/api/users/", {}).status_code == 403
    assert not User.objects.filter(username="keji_worker").exists()


def test_an_administrator_cannot_create_users_outside_the_subtree(futian_admin):
    response = token_client(futian_admin).post("/api/users/", new_user(), format="json")
    assert response.status_code == 400
    assert response.json()["region"]
    assert not User.objects.filter(username="keji_worker").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"role": "king"}, "role"),
        ({"role": ""}, "role"),
        ({"role": "manager"}, "region"),  # a manager cannot belong to a village
        ({"region": "12345"}, "region"),
        ({"region": "440305999999"}, "region"),
        ({"password": "123"}, "password"),
        ({"password": "keji_worker1"}, "password"),
        ({"username": "nanshan_admin"}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"email": "not-an-address"}, "email"),
        ({"full_name": "名" * 101}, "full_name"),
    ],
)
def test_bad_input_is_400_with_a_field_message_and_nobody_is_created(nanshan_admin, fields, field):
    before = User.objects.count()
    response = token_client(nanshan_admin).post("/api/users/", new_user(**fields), format="json")
    assert response.status_code == 400
    assert response.json()[field]
    assert User.objects.count() == before


def test_an_unknown_role_is_explained_in_english_on_request(nanshan_admin):
    client = token_client(nanshan_admin, language="en")
    response = client.post("/api/users/", new_user(role="king"), format="json")
    assert "valid choice" in response.json()["role"][0]


def test_users_cannot_be_changed_or_deleted_through_the_api(nanshan_admin, yuehai_manager):
    client = token_client(nanshan_admin)
    url = f"/api/users/{yuehai_manager.pk}/"
    assert client.patch(url, {"role": "admin"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    yuehai_manager.refresh_from_db()
    assert yuehai_manager.role == Role.MANAGER


def test_a_user_list_costs_a_fixed_number_of_queries(nanshan_admin, django_assert_max_num_queries):
    for number in range(8):
        make_user(f"worker_{number}", YUEHAI, Role.WORKER)
    make_user("futian_worker", FUTIAN, Role.WORKER)
    client = token_client(nanshan_admin)
    # token and user, the user's region, the count, the page with regions
    with django_assert_max_num_queries(4):
        response = client.get("/api/users/")
    assert response.json()["count"] == 9
