"""Staff pages for volunteers: the list, registering, the record, editing, a portal account."""

import pytest

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.people.tests.filing import ZHANG_ID, file_zhang
from wushe.volunteers.models import Volunteer
from wushe.volunteers.tests.sample import (
    CHEN_ID,
    WANG_ID,
    assert_no_secrets,
    register_chen,
    register_wang,
    skill,
)

pytestmark = pytest.mark.django_db

FORM = {
    "name": "李志愿",
    "id_number": CHEN_ID,
    "phone": "139 8765 4321",
    "region": YUEHAI_VILLAGE,
    "latitude": "22.54",
    "longitude": "113.95",
    "availability": ["0", "4", "20"],
    "capacity": "3",
    "radius_km": "5",
    "note": "",
}


def test_the_list_shows_the_subtree_with_totals_and_filters(client, yuehai_manager, nanshan_admin):
    wang = register_wang(yuehai_manager)
    chen = register_chen(nanshan_admin)
    client.force_login(yuehai_manager)
    page = client.get("/volunteers/")
    assert page.status_code == 200
    body = page.content.decode()
    assert wang.name in body and chen.name not in body
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    client.force_login(nanshan_admin)
    assert chen.name in client.get("/volunteers/").content.decode()
    by_skill = client.get("/volunteers/", {"skill": skill("meals").pk}).content.decode()
    assert chen.name in by_skill and wang.name not in by_skill
    by_village = client.get("/volunteers/", {"village": "440305007"}).content.decode()
    assert wang.name in by_village and chen.name not in by_village
    assert_no_secrets(body)


def test_bad_filters_answer_400_not_500(client, nanshan_admin):
    client.force_login(nanshan_admin)
    for params in ({"skill": "abc"}, {"skill": "9" * 30}, {"team": "-1"}, {"status": "gone"}):
        assert client.get("/volunteers/", params).status_code == 400, params
    assert client.get("/volunteers/", {"village": "nonsense"}).status_code == 200


def test_search_by_name_pinyin_initials_number_and_exact_id(client, yuehai_manager):
    wang = register_wang(yuehai_manager)
    client.force_login(yuehai_manager)
    for query in ("王志", "wangzhiqiang", "wzq", WANG_ID, wang.number):
        page = client.post("/volunteers/", {"q": query})
        assert page.status_code == 200
        body = page.content.decode()
        assert wang.name in body, query
        assert WANG_ID not in body
    assert "王志强" not in client.post("/volunteers/", {"q": CHEN_ID}).content.decode()


def test_registering_shows_errors_beside_the_fields_in_chinese(client, yuehai_manager):
    client.force_login(yuehai_manager)
    bad = {**FORM, "id_number": "440305199003041234", "phone": "12345", "latitude": "91"}
    page = client.post("/volunteers/new/", bad)
    assert page.status_code == 400
    body = page.content.decode()
    assert "校验码" in body or "身份证" in body
    assert "has-error" in body
    assert not Volunteer.objects.exists()


def test_registering_writes_the_volunteer_and_opens_the_record(client, yuehai_manager):
    client.force_login(yuehai_manager)
    form = {**FORM, "skills": [skill("visiting").pk, skill("repairs").pk]}
    page = client.post("/volunteers/new/", form)
    volunteer = Volunteer.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/volunteers/{volunteer.pk}/"
    assert volunteer.availability == 1 | 1 << 4 | 1 << 20
    assert volunteer.phone == "13987654321" and volunteer.capacity == 3
    assert {s.code for s in volunteer.skills.all()} == {"visiting", "repairs"}
    detail = client.get(page["Location"])
    body = detail.content.decode()
    assert volunteer.number in body and "439" not in body[:0]
    assert CHEN_ID not in body and "13987654321" not in body
    assert "139****4321" in body
    assert AuditEntry.objects.filter(action="view", object_type="volunteers.volunteer").exists()


def test_a_bad_week_slot_is_an_error_not_a_crash(client, yuehai_manager):
    client.force_login(yuehai_manager)
    for slots in (["21"], ["-1"], ["x"], ["１"]):
        page = client.post("/volunteers/new/", {**FORM, "availability": slots})
        assert page.status_code == 400, slots
    assert not Volunteer.objects.exists()


def test_editing_keeps_numbers_left_empty(client, yuehai_manager):
    wang = register_wang(yuehai_manager)
    client.force_login(yuehai_manager)
    form = client.get(f"/volunteers/{wang.pk}/edit/")
    assert form.status_code == 200 and WANG_ID not in form.content.decode()
    data = {**FORM, "name": "王志强", "id_number": "", "phone": "", "status": "suspended"}
    page = client.post(f"/volunteers/{wang.pk}/edit/", data)
    assert page.status_code == 302
    wang.refresh_from_db()
    assert wang.id_number == WANG_ID and wang.status == "suspended" and wang.capacity == 3


def test_an_auditor_reads_but_gets_403_on_writes(client, yuehai_manager, nanshan_auditor):
    wang = register_wang(yuehai_manager)
    client.force_login(nanshan_auditor)
    assert client.get(f"/volunteers/{wang.pk}/").status_code == 200
    for url in (
        "/volunteers/new/",
        f"/volunteers/{wang.pk}/edit/",
        f"/volunteers/{wang.pk}/invite/",
        f"/volunteers/{wang.pk}/service/",
        f"/volunteers/{wang.pk}/redeem/",
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, FORM).status_code == 403, url


def test_the_resident_link_shows_only_to_those_who_see_the_file(client, nanshan_admin):
    zhang = file_zhang(nanshan_admin)
    volunteer = register_wang(nanshan_admin, name=zhang.name, id_number=ZHANG_ID)
    client.force_login(nanshan_admin)
    body = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert f"/residents/{zhang.pk}/" in body and 'id="resident-link"' in body
    # The volunteer moves to a village whose viewers cannot see the resident's file.
    from conftest import make_user
    from wushe.accounts.models import Role
    from wushe.volunteers.services import volunteer_update
    from wushe.volunteers.tests.sample import village

    volunteer_update(actor=nanshan_admin, volunteer=volunteer, region=village("440305005001"))
    shekou = make_user("shekou_admin_worker", "440305005000", Role.WORKER)
    client.force_login(shekou)
    body = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert f"/residents/{zhang.pk}/" not in body and 'id="resident-link"' not in body


def test_a_portal_account_is_created_from_the_record(client, yuehai_manager):
    wang = register_wang(yuehai_manager)
    client.force_login(yuehai_manager)
    bad = client.post(f"/volunteers/{wang.pk}/invite/", {"username": "wzq", "password": "1"})
    assert bad.status_code == 400
    good = client.post(
        f"/volunteers/{wang.pk}/invite/", {"username": "wzq", "password": "a long pass phrase 9"}
    )
    assert good.status_code == 302
    wang.refresh_from_db()
    assert wang.user.username == "wzq" and wang.user.is_volunteer


def test_pages_speak_chinese_by_default_and_english_when_chosen(client, yuehai_manager):
    client.force_login(yuehai_manager)
    page = client.post("/volunteers/new/", {**FORM, "latitude": "91"})
    body = page.content.decode()
    assert "志愿者登记" in body and "请填写中国境内的纬度" in body
    client.cookies["django_language"] = "en"
    body = client.post("/volunteers/new/", {**FORM, "latitude": "91"}).content.decode()
    assert "Register a volunteer" in body and "Enter a latitude inside China" in body


def test_the_hours_a_week_offered_are_checked_kept_and_on_the_resources_list(
    client, yuehai_manager
):
    client.force_login(yuehai_manager)
    too_many = client.post("/volunteers/new/", {**FORM, "hours_per_week": "200"})
    assert too_many.status_code == 400
    assert "hours_per_week" in too_many.context["form"].errors
    assert "84" in too_many.context["form"].errors["hours_per_week"][0]
    assert not Volunteer.objects.exists()
    page = client.post("/volunteers/new/", {**FORM, "hours_per_week": "6"})
    volunteer = Volunteer.objects.get()
    assert page.status_code == 302 and volunteer.hours_per_week == 6
    detail = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert "每周可服务时长" in detail
    resources = client.get("/matching/resources/")
    assert resources.status_code == 200
    row = next(v for v in resources.context["volunteers"] if v.pk == volunteer.pk)
    assert row.hours_per_week == 6 and "每周可服务时长" in resources.content.decode()
    edit = {**FORM, "id_number": "", "phone": "", "status": "active", "hours_per_week": ""}
    assert client.post(f"/volunteers/{volunteer.pk}/edit/", edit).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.hours_per_week is None


def test_the_same_persons_other_roles_are_linked_on_the_page_and_in_the_api(
    client, nanshan_admin, yuehai_station
):
    """One person, one identity: a volunteer who is also a social worker and a donor is one
    person, whose other records the viewer may see are linked, never copied."""
    from wushe.charity.tests.sample import make_donor
    from wushe.core.tests.api_client import token_client
    from wushe.people import roles
    from wushe.workers.tests.sample import make_worker

    volunteer = register_wang(nanshan_admin)
    worker = make_worker(nanshan_admin, yuehai_station, 5, name=volunteer.name, id_number=WANG_ID)
    donor = make_donor(nanshan_admin, name=volunteer.name, id_number=WANG_ID)
    assert worker.id_hash == donor.id_hash == volunteer.id_hash
    assert roles.roles_held(volunteer.id_hash) == {"volunteer", "social_worker", "donor"}
    client.force_login(nanshan_admin)
    body = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert f"/workers/{worker.pk}/" in body and f"/charity/donors/{donor.pk}/" in body
    assert "同时是社工" in body and "同时是捐赠方" in body
    detail = token_client(nanshan_admin).get(f"/api/volunteers/{volunteer.pk}/").json()
    assert detail["other_roles"] == {"social_worker": [worker.pk], "donor": [donor.pk]}
    assert WANG_ID not in str(detail)
