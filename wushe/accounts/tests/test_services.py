import pytest
from django.conf import settings as project_settings
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import FUTIAN, NANSHAN, PASSWORD, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.accounts.models import Role, User
from wushe.accounts.services import user_create
from wushe.audit.models import Action, AuditEntry
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def region(code):
    return Region.objects.get(code=code)


def test_an_administrator_creates_a_manager_inside_the_subtree(nanshan_admin):
    user = user_create(
        actor=nanshan_admin,
        username="new",
        password=PASSWORD,
        region=region(YUEHAI),
        role=Role.MANAGER,
    )
    assert user.check_password(PASSWORD)
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="accounts.user")
    assert entry.actor == nanshan_admin
    assert entry.changes["role"] == [None, "manager"]
    assert "password" not in entry.changes


def test_an_administrator_cannot_create_outside_the_subtree(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        user_create(
            actor=nanshan_admin,
            username="x",
            password=PASSWORD,
            region=region(FUTIAN),
            role=Role.ADMIN,
        )
    assert "region" in error.value.message_dict
    assert not User.objects.filter(username="x").exists()


@pytest.mark.parametrize("role", ["yuehai_manager", "shekou_worker", "nanshan_auditor"])
def test_only_administrators_create_users(role, cast):
    with pytest.raises(PermissionDenied):
        user_create(
            actor=cast[role],
            username="x",
            password=PASSWORD,
            region=region(YUEHAI),
            role=Role.WORKER,
        )


def test_an_unknown_role_is_refused(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        user_create(
            actor=nanshan_admin,
            username="x",
            password=PASSWORD,
            region=region(NANSHAN),
            role="overlord",
        )
    assert "role" in error.value.message_dict


def test_a_role_must_fit_the_level_of_its_region(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        user_create(
            actor=nanshan_admin,
            username="x",
            password=PASSWORD,
            region=region(YUEHAI_VILLAGE),
            role=Role.ADMIN,
        )
    assert "region" in error.value.message_dict


def test_a_weak_password_is_refused(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        user_create(
            actor=nanshan_admin,
            username="x",
            password="123",
            region=region(SHEKOU),
            role=Role.WORKER,
        )
    assert "password" in error.value.message_dict


def test_production_hashes_passwords_with_argon2():
    # conftest swaps in a fast hasher for tests; the project setting is argon2 first.
    from importlib import reload

    import wushe.settings as configured

    reload(configured)
    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert project_settings.AUTH_USER_MODEL == "accounts.User"


def test_argon2_hashes_and_checks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User(username="a")
    user.set_password(PASSWORD)
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_a_user_sees_only_users_of_the_subtree(nanshan_admin, yuehai_manager, futian_admin):
    assert set(User.objects.visible_to(nanshan_admin)) == {nanshan_admin, yuehai_manager}
    assert set(User.objects.visible_to(yuehai_manager)) == {yuehai_manager}
    assert set(User.objects.visible_to(futian_admin)) == {futian_admin}
