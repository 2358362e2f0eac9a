from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wushe.audit.models import AuditEntry
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.services import member_add
from wushe.groups.session_services import session_record
from wushe.groups.tests.sample import START, file_resident, make_group
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def group_data(site, **fields) -> dict:
    return {
        "name": "亲子沟通小组",
        "station": site.pk,
        "service_area": "family",
        "goal": "改善亲子沟通",
        "leader": "",
        "started_on": "2026-03-02",
        "planned_sessions": "6",
        "status": "running",
        "ended_on": "",
        **fields,
    }


def test_the_list_shows_groups_in_chinese_with_their_counts(
    manager_client, yuehai_manager, yuehai_station
):
    make_group(yuehai_manager, yuehai_station)
    page = manager_client.get("/groups/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "长者健康小组" in text and "小组" in text and "为老服务" in text
    assert manager_client.get("/groups/", {"started_after": "not a date"}).status_code == 400


def test_a_group_is_created_from_the_form_and_led_by_the_creator(
    manager_client, yuehai_manager, yuehai_station
):
    data = group_data(yuehai_station, leader=yuehai_manager.pk)
    response = manager_client.post("/groups/new/", data)
    group = Group.objects.get()
    assert response.status_code == 302 and response.url == f"/groups/{group.pk}/"
    assert group.leader == yuehai_manager and group.region_code == yuehai_station.region_id
    detail = manager_client.get(response.url)
    assert "亲子沟通小组" in detail.content.decode()
    assert "no-store" in detail["Cache-Control"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ended_on": "2026-01-01", "status": "ended"}, "ended_on"),
        ({"planned_sessions": "-2"}, "planned_sessions"),
        ({"station": "99999999999999999999"}, "station"),
        ({"started_on": "2026-02-30"}, "started_on"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_group_forms_show_the_error_beside_the_field(
    manager_client, yuehai_manager, yuehai_station, fields, field
):
    data = group_data(yuehai_station, leader=yuehai_manager.pk, **fields)
    response = manager_client.post("/groups/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Group.objects.exists()


def test_members_are_found_added_and_leave_through_the_page(
    manager_client, yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    zhang = file_resident(yuehai_manager, 1, name="张三丰")
    found = manager_client.post(
        f"/groups/{group.pk}/members/search/", {"q": "zsf"}, HTTP_HX_REQUEST="true"
    )
    assert "张三丰" in found.content.decode()
    assert "<html" not in found.content.decode()  # only the results, for htmx
    added = manager_client.post(
        f"/groups/{group.pk}/members/add/", {"resident": zhang.pk, "joined_on": "2026-03-02"}
    )
    assert added.status_code == 302
    member = GroupMember.objects.get()
    again = manager_client.post(f"/groups/{group.pk}/members/add/", {"resident": zhang.pk})
    assert again.status_code == 400
    assert "已经是" in again.content.decode() or "already" in again.content.decode()
    left = manager_client.post(
        f"/groups/{group.pk}/members/{member.pk}/remove/", {"left_on": "2026-02-01"}
    )
    assert left.status_code == 400  # before joining
    left = manager_client.post(
        f"/groups/{group.pk}/members/{member.pk}/remove/", {"left_on": "2026-04-01"}
    )
    assert left.status_code == 302
    member.refresh_from_db()
    assert member.left_on == date(2026, 4, 1)


def test_a_session_is_recorded_with_its_attendance_checklist(
    manager_client, yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    members = [
        member_add(
            actor=yuehai_manager,
            group=group,
            resident=file_resident(yuehai_manager, n),
            joined_on=START,
        )
        for n in (1, 2)
    ]
    form = manager_client.get(f"/groups/{group.pk}/sessions/new/")
    assert form.status_code == 200 and "居民1" in form.content.decode()
    data = {"held_on": "2026-03-09", "topic": "破冰", "notes": "", "attendees": [members[0].pk]}
    assert manager_client.post(f"/groups/{group.pk}/sessions/new/", data).status_code == 302
    session = GroupSession.objects.get()
    assert list(session.attendees.all()) == [members[0]]
    data["held_on"] = "2026-03-01"  # before the group started
    data["attendees"] = [m.pk for m in members]
    response = manager_client.post(f"/groups/{group.pk}/sessions/{session.pk}/edit/", data)
    assert response.status_code == 400 and response.context["form"].errors["held_on"]
    data["held_on"] = "2026-03-10"
    response = manager_client.post(f"/groups/{group.pk}/sessions/{session.pk}/edit/", data)
    assert response.status_code == 302
    assert session.attendees.count() == 2
    assert Tally.objects.get(region_code=group.region_code, metric="person_times").value == 2


def test_attendance_naming_a_member_of_another_group_is_refused(
    manager_client, yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    other = make_group(yuehai_manager, yuehai_station, name="其他小组")
    stranger = member_add(
        actor=yuehai_manager, group=other, resident=file_resident(yuehai_manager, 1)
    )
    data = {"held_on": "2026-03-09", "topic": "破冰", "attendees": [stranger.pk]}
    response = manager_client.post(f"/groups/{group.pk}/sessions/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["attendees"]
    assert not GroupSession.objects.exists()


def test_the_auditor_reads_but_cannot_write(
    client, nanshan_auditor, yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    session_record(actor=yuehai_manager, group=group, held_on=date(2026, 3, 9), topic="一")
    client.force_login(nanshan_auditor)
    assert client.get(f"/groups/{group.pk}/").status_code == 200
    assert client.get("/groups/new/").status_code == 403
    assert client.post(f"/groups/{group.pk}/edit/", {"name": "x"}).status_code == 403
    assert client.post(f"/groups/{group.pk}/delete/").status_code == 403
    session = GroupSession.objects.get()
    assert client.post(f"/groups/{group.pk}/sessions/{session.pk}/delete/").status_code == 403
    assert GroupSession.objects.exists()
    assert AuditEntry.objects.filter(success=False, actor=nanshan_auditor).count() == 4


def test_a_manager_deletes_a_group_after_confirming(manager_client, yuehai_manager, yuehai_station):
    group = make_group(yuehai_manager, yuehai_station)
    assert manager_client.get(f"/groups/{group.pk}/delete/").status_code == 200
    assert manager_client.post(f"/groups/{group.pk}/delete/").status_code == 302
    assert not Group.objects.exists()


def test_errors_are_in_chinese_and_in_english_once_chosen(
    manager_client, yuehai_manager, yuehai_station
):
    data = group_data(yuehai_station, leader=yuehai_manager.pk, ended_on="2026-01-01")
    data["status"] = "ended"
    chinese = manager_client.post("/groups/new/", data).content.decode()
    assert "小组不能在开始之前结束" in chinese
    manager_client.cookies["django_language"] = "en"
    english = manager_client.post("/groups/new/", data).content.decode()
    assert "A group cannot end before it started." in english
    assert "Group work" in english


@pytest.mark.parametrize(
    "data",
    [
        {"held_on": "2026-03-09", "topic": "一", "attendees": ["abc"]},
        {"held_on": "2026-03-09", "topic": "一", "attendees": ["9" * 30]},
        {"held_on": "0000-00-00", "topic": "一"},
        {"held_on": "2026-03-09", "topic": "x" * 201},
        {"held_on": "2026-03-09", "topic": "\x00"},
    ],
)
def test_odd_session_input_is_a_field_error(manager_client, yuehai_manager, yuehai_station, data):
    group = make_group(yuehai_manager, yuehai_station)
    response = manager_client.post(f"/groups/{group.pk}/sessions/new/", data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not GroupSession.objects.exists()


def test_odd_member_input_is_refused(manager_client, yuehai_manager, yuehai_station):
    group = make_group(yuehai_manager, yuehai_station)
    url = f"/groups/{group.pk}/members/"
    for resident in ("x", "9" * 30, "-1", ""):
        assert manager_client.post(url + "add/", {"resident": resident}).status_code == 400
    assert manager_client.post(url + "search/", {"q": "x" * 60}).status_code == 200
    assert not GroupMember.objects.exists()


def test_the_list_and_detail_pages_take_as_many_queries_for_many_rows_as_for_one(
    manager_client, yuehai_manager, yuehai_station
):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200
        return len(captured)

    group = make_group(yuehai_manager, yuehai_station)
    member_add(
        actor=yuehai_manager,
        group=group,
        resident=file_resident(yuehai_manager, 1),
        joined_on=START,
    )
    session_record(actor=yuehai_manager, group=group, held_on=date(2026, 3, 9), topic="一")
    few = queries("/groups/"), queries(f"/groups/{group.pk}/")
    for n in range(2, 6):
        make_group(yuehai_manager, yuehai_station, name=f"小组{n}")
        member = member_add(
            actor=yuehai_manager,
            group=group,
            resident=file_resident(yuehai_manager, n),
            joined_on=START,
        )
        session_record(
            actor=yuehai_manager,
            group=group,
            held_on=date(2026, 3, 9 + n),
            topic="节",
            attendees=[member],
        )
    assert (queries("/groups/"), queries(f"/groups/{group.pk}/")) == few
