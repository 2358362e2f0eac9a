from datetime import timedelta

import pytest

from conftest import FUTIAN_TOWNSHIP, NANSHAN, SHEKOU, YUEHAI, make_site
from wushe.casework.models import VisitFrequency
from wushe.casework.services import frequency_set
from wushe.core.tests.api_client import token_client
from wushe.people.choices import Category
from wushe.people.models import Resident
from wushe.people.tests.filing import SECRETS, file_li, file_zhang
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

OVERDUE = "/api/overdue-visits/"
RULES = "/api/visit-frequencies/"
EFFECTIVE = "/api/visit-frequencies/effective/"


def age(resident: Resident, days: int) -> None:
    Resident.objects.filter(pk=resident.pk).update(
        created_at=resident.created_at - timedelta(days=days)
    )


def test_the_overdue_list_per_region(nanshan_admin, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    li = file_li(nanshan_admin, categories=[Category.EXTREME_POVERTY])
    age(zhang, 100)
    age(li, 45)
    api = token_client(nanshan_admin)
    response = api.get(OVERDUE)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = response.json()["results"]
    assert [row["resident_name"] for row in rows] == ["李四娘", "张三丰"]  # due first, first
    assert rows[0]["categories"] == ["tekun"] and rows[0]["interval_days"] == 30
    assert rows[0]["last_visit"] is None and rows[0]["days_overdue"] in (14, 15, 16)
    assert not any(secret in response.content.decode() for secret in SECRETS)
    only = api.get(OVERDUE, {"region": "440305007"}).json()
    assert [row["resident_name"] for row in only["results"]] == ["张三丰"]
    mine = token_client(yuehai_manager).get(OVERDUE).json()
    assert [row["resident_name"] for row in mine["results"]] == ["张三丰"]
    refused = token_client(yuehai_manager).get(OVERDUE, {"region": SHEKOU})
    assert refused.status_code == 400 and "region" in refused.json()
    assert api.get(OVERDUE, {"region": "44x"}).status_code == 400


def test_the_overdue_list_of_a_station(nanshan_admin, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    age(zhang, 100)
    age(file_li(nanshan_admin, categories=[Category.EXTREME_POVERTY]), 45)
    station = make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")
    futian = make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站")
    api = token_client(nanshan_admin)
    rows = api.get(OVERDUE, {"station": station.pk}).json()["results"]
    assert [row["resident"] for row in rows] == [zhang.pk]
    for bad in (futian.pk, 2**70, "x"):
        response = api.get(OVERDUE, {"station": bad})
        assert response.status_code == 400 and "station" in response.json()


def test_effective_rules_say_where_each_comes_from(nanshan_admin, yuehai_manager):
    frequency_set(
        actor=nanshan_admin,
        region=Region.objects.get(code=NANSHAN),
        category=Category.SUBSISTENCE,
        interval_days=60,
    )
    own = frequency_set(
        actor=yuehai_manager,
        region=Region.objects.get(code=YUEHAI),
        category=Category.ORPHAN,
        interval_days=14,
    )
    lines = {line["category"]: line for line in token_client(yuehai_manager).get(EFFECTIVE).json()}
    assert len(lines) == len(Category.values)
    assert (
        lines["dibao"]
        == {
            "category": "dibao",
            "category_label": "低保",
            "interval_days": 60,
            "source": "inherited",
            "source_region": None,  # 南山区 is above the manager's own region
            "rule": None,
        }
        or lines["dibao"]["source_region"] is None
    )
    assert lines["orphan"]["source"] == "own" and lines["orphan"]["rule"] == own.pk
    assert lines["tekun"]["source"] == "default" and lines["tekun"]["interval_days"] == 30
    assert lines["other"]["source"] == "none" and lines["other"]["interval_days"] is None
    admin = token_client(nanshan_admin).get(EFFECTIVE, {"region": "440305007003"}).json()
    assert {line["category"]: line for line in admin}["dibao"]["source_region"] == NANSHAN
    refused = token_client(yuehai_manager).get(EFFECTIVE, {"region": SHEKOU})
    assert refused.status_code == 400


def test_supervisors_set_and_remove_rules(yuehai_manager):
    api = token_client(yuehai_manager)
    data = {"region": "440305007", "category": "dibao", "interval_days": 30}
    created = api.post(RULES, data)
    assert created.status_code == 201, created.content
    assert created.json()["region"] == YUEHAI and created.json()["interval_days"] == 30
    changed = api.post(RULES, {**data, "interval_days": 45})
    assert changed.status_code == 200 and changed.json()["id"] == created.json()["id"]
    listing = api.get(RULES).json()
    assert listing["count"] == 1 and listing["results"][0]["interval_days"] == 45
    assert api.get(f"{RULES}{created.json()['id']}/").status_code == 200
    assert api.delete(f"{RULES}{created.json()['id']}/").status_code == 204
    assert not VisitFrequency.objects.exists()


def test_bad_rules_get_field_messages(yuehai_manager):
    api = token_client(yuehai_manager)
    good = {"region": "440305007", "category": "dibao", "interval_days": 30}
    for change, field in [
        ({"interval_days": 0}, "interval_days"),
        ({"interval_days": 10**9}, "interval_days"),
        ({"category": "aliens"}, "category"),
        ({"region": SHEKOU}, "region"),
        ({"region": "12345"}, "region"),
    ]:
        response = api.post(RULES, {**good, **change})
        assert response.status_code == 400 and field in response.json(), change
    assert not VisitFrequency.objects.exists()


def test_workers_and_auditors_cannot_set_rules(shekou_worker, nanshan_auditor, nanshan_admin):
    rule = frequency_set(
        actor=nanshan_admin,
        region=Region.objects.get(code=SHEKOU),
        category=Category.ORPHAN,
        interval_days=7,
    )
    for user in (shekou_worker, nanshan_auditor):
        api = token_client(user)
        assert api.get(RULES).json()["count"] == 1
        data = {"region": SHEKOU, "category": "orphan", "interval_days": 1}
        assert api.post(RULES, data).status_code == 403
        assert api.delete(f"{RULES}{rule.pk}/").status_code == 403
    rule.refresh_from_db()
    assert rule.interval_days == 7
