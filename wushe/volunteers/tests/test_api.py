"""The volunteers API: scoped reads, writes through the services, field errors as JSON."""

from datetime import date

import pytest

from conftest import YUEHAI_VILLAGE
from wushe.core.tests.api_client import token_client
from wushe.volunteers.ledger_services import service_record
from wushe.volunteers.models import LedgerEntry, Skill, Volunteer, VolunteerTeam
from wushe.volunteers.services import volunteer_invite
from wushe.volunteers.tests.sample import (
    CHEN_ID,
    WANG_ID,
    assert_no_secrets,
    register_chen,
    register_wang,
)

pytestmark = pytest.mark.django_db

NEW = {
    "name": "李志愿",
    "id_number": CHEN_ID,
    "phone": "13987654321",
    "region": YUEHAI_VILLAGE,
    "skills": ["visiting", "meals"],
    "availability": 7,
    "latitude": "22.54",
    "longitude": "113.95",
}


def test_the_list_is_scoped_masked_and_filtered(yuehai_manager, nanshan_admin, futian_admin):
    wang = register_wang(yuehai_manager)
    register_chen(nanshan_admin)
    api = token_client(yuehai_manager)
    body = api.get("/api/volunteers/").json()
    assert [row["number"] for row in body["results"]] == [wang.number]
    row = body["results"][0]
    assert row["id_number"].startswith("440305") and "*" in row["id_number"]
    assert row["skills"] == ["visiting", "digital"] and row["availability_slots"] == [
        0,
        3,
        6,
        9,
        12,
    ]
    assert_no_secrets(str(body))
    admin = token_client(nanshan_admin)
    assert admin.get("/api/volunteers/").json()["count"] == 2
    assert (
        admin.get("/api/volunteers/", {"skill": Skill.objects.get(code="meals").pk}).json()["count"]
        == 1
    )
    assert admin.get("/api/volunteers/", {"q": "wzq"}).json()["count"] == 1
    assert admin.get("/api/volunteers/", {"q": WANG_ID}).status_code == 400
    assert admin.get("/api/volunteers/", {"skill": "x"}).status_code == 400
    assert token_client(futian_admin).get("/api/volunteers/").json()["count"] == 0


def test_search_by_id_number_goes_in_the_body(nanshan_admin):
    wang = register_wang(nanshan_admin)
    api = token_client(nanshan_admin)
    found = api.post("/api/volunteers/search/", {"q": WANG_ID}, format="json").json()
    assert [row["id"] for row in found["results"]] == [wang.pk]


def test_create_reports_field_errors_and_writes_nothing(yuehai_manager):
    api = token_client(yuehai_manager)
    bad = api.post(
        "/api/volunteers/",
        {**NEW, "id_number": "123", "phone": "1", "skills": ["flying"], "availability": 1 << 22},
        format="json",
    )
    assert bad.status_code == 400
    assert "availability" in bad.json()
    bad = api.post("/api/volunteers/", {**NEW, "id_number": "123", "phone": "1"}, format="json")
    assert bad.status_code == 400 and {"id_number", "phone"} <= set(bad.json())
    unknown = api.post("/api/volunteers/", {**NEW, "skills": ["flying"]}, format="json")
    assert unknown.status_code == 400 and "skills" in unknown.json()
    far = api.post("/api/volunteers/", {**NEW, "latitude": "60"}, format="json")
    assert far.status_code == 400 and "latitude" in far.json()
    assert not Volunteer.objects.exists()
    good = api.post("/api/volunteers/", NEW, format="json")
    assert good.status_code == 201, good.json()
    assert good.json()["summary"] == {
        "hours": "0.00",
        "points": 0,
        "stars": 0,
        "next_star_hours": 100,
    }
    assert CHEN_ID not in str(good.json())


def test_patch_and_the_ledger_endpoints(yuehai_manager, nanshan_admin):
    wang = register_wang(yuehai_manager)
    api = token_client(yuehai_manager)
    changed = api.patch(f"/api/volunteers/{wang.pk}/", {"capacity": 4, "skills": ["repairs"]})
    assert changed.status_code == 200 and changed.json()["skills"] == ["repairs"]
    service = {
        "occurred_on": "2026-03-01",
        "hours": "2",
        "tier": "professional",
        "content": "法律咨询",
    }
    entry = api.post(f"/api/volunteers/{wang.pk}/service/", service, format="json")
    assert entry.status_code == 201 and entry.json()["points"] == 40
    twice = api.post(
        f"/api/volunteers/{wang.pk}/service/", {**service, "task_ref": "t1"}, format="json"
    )
    assert twice.status_code == 201
    again = api.post(
        f"/api/volunteers/{wang.pk}/service/", {**service, "task_ref": "t1"}, format="json"
    )
    assert again.status_code == 400 and "task_ref" in again.json()
    too_much = api.post(f"/api/volunteers/{wang.pk}/redeem/", {"points": 81, "content": "x"})
    assert too_much.status_code == 400 and "80" in str(too_much.json()["points"])
    assert (
        api.post(f"/api/volunteers/{wang.pk}/redeem/", {"points": 30, "content": "x"}).status_code
        == 201
    )
    honour = {"occurred_on": "2026-03-01", "hours": "1", "content": "表彰"}
    assert api.post(f"/api/volunteers/{wang.pk}/honour/", honour).status_code == 403
    first = LedgerEntry.objects.order_by("id").first()
    corrected = api.post(f"/api/volunteers/{wang.pk}/entries/{first.pk}/correct/", {"reason": "错"})
    assert corrected.status_code == 201 and corrected.json()["points"] == -40
    assert (
        api.post(
            f"/api/volunteers/{wang.pk}/entries/{first.pk}/correct/", {"reason": "错"}
        ).status_code
        == 400
    )
    assert (
        api.post(f"/api/volunteers/{wang.pk}/entries/abc/correct/", {"reason": "x"}).status_code
        == 404
    )
    ledger = api.get(f"/api/volunteers/{wang.pk}/ledger/").json()
    assert ledger["count"] == 4
    detail = api.get(f"/api/volunteers/{wang.pk}/").json()
    assert detail["summary"]["points"] == 10 and detail["total_hours"] == "2.00"
    issued = api.post(f"/api/volunteers/{wang.pk}/certificates/")
    assert issued.status_code == 201 and issued.json()["hours"] == "2.00"
    assert len(api.get(f"/api/volunteers/{wang.pk}/certificates/").json()) == 1


def test_outside_and_read_only_users(yuehai_manager, shekou_worker, nanshan_auditor):
    wang = register_wang(yuehai_manager)
    entry = service_record(
        actor=yuehai_manager, volunteer=wang, hours="1", occurred_on=date(2026, 3, 1), content="x"
    )
    outsider = token_client(shekou_worker)
    for url in (
        f"/api/volunteers/{wang.pk}/",
        f"/api/volunteers/{wang.pk}/ledger/",
        f"/api/volunteers/{wang.pk}/certificates/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.patch(f"/api/volunteers/{wang.pk}/", {"capacity": 1}).status_code == 404
    assert (
        outsider.post(
            f"/api/volunteers/{wang.pk}/redeem/", {"points": 1, "content": "x"}
        ).status_code
        == 404
    )
    assert (
        outsider.post(
            f"/api/volunteers/{wang.pk}/entries/{entry.pk}/correct/", {"reason": "x"}
        ).status_code
        == 404
    )
    auditor = token_client(nanshan_auditor)
    assert auditor.get(f"/api/volunteers/{wang.pk}/").status_code == 200
    assert auditor.post("/api/volunteers/", NEW, format="json").status_code == 403
    assert auditor.patch(f"/api/volunteers/{wang.pk}/", {"capacity": 1}).status_code == 403
    assert auditor.post(f"/api/volunteers/{wang.pk}/certificates/").status_code == 403
    assert LedgerEntry.objects.count() == 1


def test_skills_are_read_by_staff_and_changed_by_administrators(nanshan_admin, yuehai_manager):
    manager = token_client(yuehai_manager)
    skills = manager.get("/api/skills/").json()
    assert [s["code"] for s in skills][:3] == ["visiting", "meals", "medical_escort"]
    assert [s["bit"] for s in skills] == list(range(12))
    assert manager.post("/api/skills/", {"code": "x", "name": "x"}).status_code == 403
    admin = token_client(nanshan_admin)
    added = admin.post("/api/skills/", {"code": "elder_care", "name": "养老护理", "bit": 40})
    assert added.status_code == 201 and added.json()["bit"] == 12
    assert admin.post("/api/skills/", {"code": "elder_care", "name": "又一个"}).status_code == 400
    retired = admin.patch(f"/api/skills/{added.json()['id']}/", {"active": False})
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert admin.delete(f"/api/skills/{added.json()['id']}/").status_code == 405


def test_teams_by_volunteer_number(yuehai_manager, nanshan_admin, futian_admin):
    wang = register_wang(yuehai_manager)
    chen = register_chen(nanshan_admin)
    api = token_client(yuehai_manager)
    data = {"name": "队", "region": "440305007", "members": [wang.number], "leader": wang.number}
    made = api.post("/api/volunteer-teams/", data, format="json")
    assert made.status_code == 201 and made.json()["members"] == [wang.number]
    team = made.json()["id"]
    hidden = api.patch(f"/api/volunteer-teams/{team}/", {"members": [chen.number]}, format="json")
    assert hidden.status_code == 400 and "members" in hidden.json()
    assert token_client(futian_admin).get(f"/api/volunteer-teams/{team}/").status_code == 404
    assert api.delete(f"/api/volunteer-teams/{team}/").status_code == 204
    assert not VolunteerTeam.objects.exists()


def test_a_volunteer_reads_only_their_own_summary(nanshan_admin, yuehai_manager):
    wang = register_wang(yuehai_manager)
    chen = register_chen(nanshan_admin)
    service_record(
        actor=yuehai_manager, volunteer=wang, hours="1", occurred_on=date(2026, 3, 1), content="王"
    )
    user = volunteer_invite(
        actor=yuehai_manager, volunteer=wang, username="wzq", password="a long pass phrase 9"
    )
    api = token_client(user)
    me = api.get("/api/volunteer/me/")
    assert me.status_code == 200
    assert me.json()["number"] == wang.number and me.json()["summary"]["points"] == 10
    assert "note" not in me.json()["entries"][0]
    assert_no_secrets(str(me.json()))
    for url in ("/api/volunteers/", f"/api/volunteers/{chen.pk}/", "/api/skills/"):
        assert api.get(url).status_code == 404, url
    assert token_client(nanshan_admin).get("/api/volunteer/me/").status_code == 404


def test_a_portal_account_is_made_through_the_api_and_bad_input_writes_nothing(
    yuehai_manager, nanshan_auditor, futian_admin
):
    wang = register_wang(yuehai_manager)
    api = token_client(yuehai_manager, language="zh-hans")
    url = f"/api/volunteers/{wang.pk}/invite/"
    weak = api.post(url, {"username": "yuehai_manager", "password": "1"}, format="json")
    assert weak.status_code == 400 and {"username", "password"} <= set(weak.json())
    assert "用户" in weak.json()["username"][0]
    assert api.post(url, {"username": "wangzq"}, format="json").status_code == 400
    wang.refresh_from_db()
    assert wang.user is None
    assert token_client(nanshan_auditor).post(url, {}, format="json").status_code == 403
    outside = {"username": "w3", "password": "a long pass phrase 9"}
    assert token_client(futian_admin).post(url, outside, format="json").status_code == 404
    made = api.post(url, {"username": "wangzq", "password": "a long pass phrase 9"}, format="json")
    assert made.status_code == 201
    assert made.json() == {"username": "wangzq", "role": "volunteer", "region": YUEHAI_VILLAGE}
    assert "password" not in made.json()
    wang.refresh_from_db()
    assert wang.user.is_volunteer and wang.user.check_password("a long pass phrase 9")
    again = api.post(url, {"username": "w2", "password": "a long pass phrase 9"}, format="json")
    assert again.status_code == 400 and "username" in again.json()
    assert token_client(wang.user).get("/api/volunteer/me/").json()["number"] == wang.number


def test_the_hours_a_week_offered_through_the_api(yuehai_manager):
    api = token_client(yuehai_manager)
    too_many = api.post("/api/volunteers/", {**NEW, "hours_per_week": 100}, format="json")
    assert too_many.status_code == 400 and "hours_per_week" in too_many.json()
    assert not Volunteer.objects.exists()
    made = api.post("/api/volunteers/", {**NEW, "hours_per_week": 4}, format="json")
    assert made.status_code == 201 and made.json()["hours_per_week"] == 4
    url = f"/api/volunteers/{made.json()['id']}/"
    changed = api.patch(url, {"hours_per_week": 10}, format="json").json()
    assert changed["hours_per_week"] == 10
    assert api.patch(url, {"hours_per_week": None}, format="json").json()["hours_per_week"] is None
