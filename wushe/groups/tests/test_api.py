from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.services import member_add
from wushe.groups.session_services import session_record
from wushe.groups.tests.sample import START, file_resident, make_group
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(yuehai_manager) -> APIClient:
    client = APIClient()
    client.force_authenticate(yuehai_manager)
    return client


def payload(site, **fields) -> dict:
    return {
        "name": "青少年成长小组",
        "goal": "提升自我认知",
        "service_area": "youth",
        "station": site.pk,
        "started_on": "2026-03-02",
        "planned_sessions": 8,
        **fields,
    }


def test_a_group_is_created_read_changed_and_deleted(api, yuehai_manager, yuehai_station):
    created = api.post("/api/groups/", payload(yuehai_station), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["leader"] == yuehai_manager.pk and body["region_code"] == "440305007000"
    assert body["service_area_label"] == "青少年" and body["status"] == "running"
    url = f"/api/groups/{body['id']}/"
    changed = api.patch(url, {"started_on": "2026-02-02"}, format="json")
    assert changed.status_code == 200 and changed.json()["started_on"] == "2026-02-02"
    groups = Tally.objects.filter(region_code="440305007000", metric="groups")
    assert {row.month: row.value for row in groups} == {date(2026, 2, 1): 1, date(2026, 3, 1): 0}
    assert api.put(url, payload(yuehai_station, name="改名"), format="json").status_code == 200
    assert api.get(url).json()["name"] == "改名"
    assert api.delete(url).status_code == 204
    assert not Group.objects.exists()
    assert not groups.exclude(value=0).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"station": 987654}, "station"),
        ({"station": "x"}, "station"),
        ({"planned_sessions": 0}, "planned_sessions"),
        ({"planned_sessions": 100000}, "planned_sessions"),
        ({"ended_on": "2026-01-01", "status": "ended"}, "ended_on"),
        ({"started_on": "2026-13-01"}, "started_on"),
        ({"service_area": "sports"}, "service_area"),
        ({"leader": 2**70}, "leader"),
    ],
)
def test_bad_groups_get_field_errors_and_nothing_is_written(api, yuehai_station, fields, field):
    response = api.post("/api/groups/", payload(yuehai_station, **fields), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Group.objects.exists() and not Tally.objects.exists()


def test_errors_speak_english_when_asked(api, yuehai_station):
    data = payload(yuehai_station, ended_on="2026-01-01", status="ended")
    chinese = api.post("/api/groups/", data, format="json").json()
    assert chinese["ended_on"] == ["小组不能在开始之前结束。"]
    english = api.post("/api/groups/", data, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["ended_on"] == ["A group cannot end before it started."]


def test_members_join_leave_and_are_deleted_through_the_api(api, yuehai_manager, yuehai_station):
    group = make_group(yuehai_manager, yuehai_station)
    zhang = file_resident(yuehai_manager, 1)
    url = f"/api/groups/{group.pk}/members/"
    joined = api.post(url, {"resident": zhang.pk, "joined_on": "2026-03-02"}, format="json")
    assert joined.status_code == 201 and joined.json()["resident_name"] == zhang.name
    member_id = joined.json()["id"]
    again = api.post(url, {"resident": zhang.pk}, format="json")
    assert again.status_code == 400 and "resident" in again.json()
    assert api.post(url, {"resident": 987654}, format="json").status_code == 400
    assert [row["id"] for row in api.get(url).json()] == [member_id]
    leave = api.post(f"{url}{member_id}/leave/", {"left_on": "2026-01-01"}, format="json")
    assert leave.status_code == 400 and "left_on" in leave.json()
    leave = api.post(f"{url}{member_id}/leave/", {"left_on": "2026-04-01"}, format="json")
    assert leave.status_code == 200 and leave.json()["left_on"] == "2026-04-01"
    assert api.delete(f"{url}{member_id}/").status_code == 204
    assert not GroupMember.objects.exists()
    assert api.delete(f"{url}{member_id}/").status_code == 404


def test_sessions_and_attendance_through_the_api(api, yuehai_manager, yuehai_station):
    group = make_group(yuehai_manager, yuehai_station)
    other = make_group(yuehai_manager, yuehai_station, name="别的小组")
    members = [
        member_add(
            actor=yuehai_manager,
            group=group,
            resident=file_resident(yuehai_manager, n),
            joined_on=START,
        )
        for n in (1, 2)
    ]
    stranger = member_add(
        actor=yuehai_manager, group=other, resident=file_resident(yuehai_manager, 3)
    )
    url = f"/api/groups/{group.pk}/sessions/"
    data = {"held_on": "2026-03-09", "topic": "破冰", "attendees": [members[0].pk]}
    created = api.post(url, data, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["number"] == 1 and created.json()["present"] == 1
    session_url = f"{url}{created.json()['id']}/"
    bad = {**data, "attendees": [stranger.pk]}
    refused = api.post(url, bad, format="json")
    assert refused.status_code == 400 and "attendees" in refused.json()
    refused = api.post(url, {**data, "held_on": "2026-03-01"}, format="json")
    assert refused.status_code == 400 and "held_on" in refused.json()
    assert GroupSession.objects.count() == 1
    everyone = [m.pk for m in members]
    taken = api.put(f"{session_url}attendance/", {"attendees": everyone}, format="json")
    assert taken.status_code == 200 and taken.json() == {"attendees": sorted(everyone)}
    assert (
        api.put(
            f"{session_url}attendance/", {"attendees": [stranger.pk]}, format="json"
        ).status_code
        == 400
    )
    moved = api.patch(session_url, {"held_on": "2026-04-01"}, format="json")
    assert moved.status_code == 200 and moved.json()["present"] == 2
    times = Tally.objects.filter(region_code=group.region_code, metric="person_times")
    assert {row.month: row.value for row in times if row.value} == {date(2026, 4, 1): 2}
    assert api.delete(session_url).status_code == 204
    assert not GroupSession.objects.exists()


def test_the_auditor_reads_and_is_refused_writes(
    client, nanshan_auditor, yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    api = APIClient()
    api.force_authenticate(nanshan_auditor)
    assert api.get(f"/api/groups/{group.pk}/").status_code == 200
    assert api.post("/api/groups/", {}, format="json").status_code == 403
    assert api.patch(f"/api/groups/{group.pk}/", {"name": "x"}, format="json").status_code == 403
    assert api.post(f"/api/groups/{group.pk}/members/", {}, format="json").status_code == 403
    assert api.post(f"/api/groups/{group.pk}/sessions/", {}, format="json").status_code == 403
    assert api.delete(f"/api/groups/{group.pk}/").status_code == 403
    assert Group.objects.get().name == "长者健康小组"


def test_the_list_takes_a_fixed_number_of_queries(api, yuehai_manager, yuehai_station):
    for n in range(5):
        group = make_group(yuehai_manager, yuehai_station, name=f"小组{n}")
        member = member_add(
            actor=yuehai_manager,
            group=group,
            resident=file_resident(yuehai_manager, n + 1),
            joined_on=START,
        )
        session_record(
            actor=yuehai_manager,
            group=group,
            held_on=date(2026, 3, 9),
            topic="一",
            attendees=[member],
        )
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/groups/").json()
    assert body["count"] == 5 and {row["session_count"] for row in body["results"]} == {1}
    assert len(queries) <= 4  # session, count, page (and nothing per row)
