"""The fixed cast every test can use (healthchecks/NetBox style).

Regions are the real shipped division data for 南山区 (440305) and 福田区 (440304), loaded
once per test database by the real loader. The users:

- ``nanshan_admin``: administrator of 南山区;
- ``yuehai_manager``: manager of 粤海街道's station (440305007);
- ``shekou_worker``: social worker of another street, 蛇口街道 (440305005);
- ``nanshan_auditor``: auditor of 南山区;
- ``futian_admin``: administrator of 福田区, who must see nothing of 南山区.
"""

from __future__ import annotations

import pytest

from wushe.accounts.models import Role, User
from wushe.regions import counters, loader
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site

PASSWORD = "correct horse battery staple"

NANSHAN = "440305000000"
YUEHAI = "440305007000"  # 粤海街道
SHEKOU = "440305005000"  # 蛇口街道
YUEHAI_VILLAGE = "440305007003"  # 科技园社区
FUTIAN = "440304000000"
FUTIAN_TOWNSHIP = "440304002000"  # 园岭街道
FUTIAN_VILLAGE = "440304002016"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        loader.load(loader.read_rows("440305"))
        loader.load(loader.read_rows("440304"))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is what production uses (tested in accounts); tests need thousands of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    # Uploaded sheets (encrypted) go to a test's own directory, never the checkout's var/.
    settings.WUSHE_IMPORTS_DIR = tmp_path / "imports"


def make_user(username: str, code: str, role: str) -> User:
    user = User(username=username, region_id=code, role=role, full_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def nanshan_admin(db) -> User:
    return make_user("nanshan_admin", NANSHAN, Role.ADMIN)


@pytest.fixture
def yuehai_manager(db) -> User:
    return make_user("yuehai_manager", YUEHAI, Role.MANAGER)


@pytest.fixture
def shekou_worker(db) -> User:
    return make_user("shekou_worker", SHEKOU, Role.WORKER)


@pytest.fixture
def nanshan_auditor(db) -> User:
    return make_user("nanshan_auditor", NANSHAN, Role.AUDITOR)


@pytest.fixture
def futian_admin(db) -> User:
    return make_user("futian_admin", FUTIAN, Role.ADMIN)


@pytest.fixture
def cast(nanshan_admin, yuehai_manager, shekou_worker, nanshan_auditor, futian_admin):
    return {
        "nanshan_admin": nanshan_admin,
        "yuehai_manager": yuehai_manager,
        "shekou_worker": shekou_worker,
        "nanshan_auditor": nanshan_auditor,
        "futian_admin": futian_admin,
    }


def make_site(code: str, kind: str, name: str, status: str = SiteStatus.OPERATING) -> Site:
    """A site written straight to the table (no actor, no audit), with the coverage counters
    moved as the site services move them."""
    site = Site.objects.create(
        name=name, kind=kind, region=Region.objects.get(code=code), status=status
    )
    counters.move(None, counters.counted_key(site))
    return site


@pytest.fixture
def yuehai_station(db) -> Site:
    return make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")


@pytest.fixture
def yuehai_room(db) -> Site:
    return make_site(YUEHAI_VILLAGE, SiteKind.ROOM, "科技园社区社工室")


@pytest.fixture
def futian_station(db) -> Site:
    return make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站")
