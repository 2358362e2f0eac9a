from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from conftest import YUEHAI, YUEHAI_VILLAGE
from wushe.activities.models import Activity
from wushe.groups.tests.sample import file_resident, make_activity
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(yuehai_manager) -> APIClient:
    client = APIClient()
    client.force_authenticate(yuehai_manager)
    return client


def payload(site, **fields) -> dict:
    return {
        "held_on": "2026-06-01",
        "theme": "垃圾分类宣传",
        "place": "社区广场",
        "service_area": "community",
        "station": site.pk,
        **fields,
    }


def served(code: str) -> dict[date, int]:
    rows = Tally.objects.filter(region_code=code, metric="person_times").exclude(value=0)
    return {row.month: row.value for row in rows}


def test_an_activity_is_recorded_read_changed_and_deleted(api, yuehai_manager, yuehai_station):
    people = [file_resident(yuehai_manager, n) for n in (1, 2)]
    data = payload(
        yuehai_station,
        region="440305007003",
        participants=[p.pk for p in people],
        anonymous_count=12,
        volunteer_names=["王小明", " 李华 "],
    )
    created = api.post("/api/activities/", data, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["region"] == YUEHAI_VILLAGE and body["region_name"] == "科技园社区居委会"
    assert body["participant_count"] == 2 and body["person_times"] == 14
    assert body["volunteer_names"] == ["王小明", "李华"] and body["volunteer_count"] == 2
    assert served(YUEHAI_VILLAGE) == {date(2026, 6, 1): 14}
    url = f"/api/activities/{body['id']}/"
    moved = api.patch(url, {"held_on": "2026-05-20", "anonymous_count": 0}, format="json")
    assert moved.status_code == 200 and moved.json()["person_times"] == 2
    assert served(YUEHAI_VILLAGE) == {date(2026, 5, 1): 2}
    replaced = api.put(url, payload(yuehai_station), format="json")
    assert replaced.status_code == 200 and replaced.json()["region"] == YUEHAI
    assert served(YUEHAI_VILLAGE) == {} and served(YUEHAI) == {date(2026, 6, 1): 2}
    listed = api.get(url + "participants/").json()
    assert {row["id"] for row in listed} == {p.pk for p in people}
    emptied = api.put(url + "participants/", {"participants": []}, format="json")
    assert emptied.status_code == 200 and emptied.json() == []
    assert api.delete(url).status_code == 204
    assert not Activity.objects.exists() and served(YUEHAI) == {}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"anonymous_count": -1}, "anonymous_count"),
        ({"anonymous_count": 10**12}, "anonymous_count"),
        ({"region": "440305005001"}, "region"),
        ({"region": "440305007"}, None),  # the station's own township: fine
        ({"region": "4403"}, "region"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"station": 987654}, "station"),
        ({"participants": [987654]}, "participants"),
        ({"participants": "1"}, "participants"),
        ({"volunteer_names": ["甲", "乙"], "volunteer_count": 1}, "volunteer_count"),
        ({"volunteer_names": ["名" * 51]}, "volunteer_names"),
        ({"place": ""}, "place"),
    ],
)
def test_bad_activities_get_field_errors_and_nothing_is_written(api, yuehai_station, fields, field):
    response = api.post("/api/activities/", payload(yuehai_station, **fields), format="json")
    if field is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not Activity.objects.exists() and not Tally.objects.exists()


def test_errors_speak_english_when_asked(api, yuehai_room):
    data = payload(yuehai_room, region="440305007")  # a room works in its own village
    chinese = api.post("/api/activities/", data, format="json").json()
    assert chinese["region"] == ["请选择本站所在的乡镇（街道）或其下属的村（社区）。"]
    english = api.post("/api/activities/", data, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["region"] == ["Choose the station's own township or one of its villages."]


def test_a_failed_change_leaves_the_activity_and_its_tallies_as_they_were(
    api, yuehai_manager, yuehai_station
):
    activity = make_activity(yuehai_manager, yuehai_station)
    url = f"/api/activities/{activity.pk}/"
    refused = api.patch(url, {"anonymous_count": 5, "held_on": "2099-01-01"}, format="json")
    assert refused.status_code == 400 and "held_on" in refused.json()
    assert api.get(url).json()["anonymous_count"] == 20
    assert served(YUEHAI) == {date(2026, 6, 1): 20}


def test_the_auditor_reads_and_is_refused_writes(nanshan_auditor, yuehai_manager, yuehai_station):
    activity = make_activity(yuehai_manager, yuehai_station)
    api = APIClient()
    api.force_authenticate(nanshan_auditor)
    url = f"/api/activities/{activity.pk}/"
    assert api.get(url).status_code == 200
    assert api.post("/api/activities/", {}, format="json").status_code == 403
    assert api.patch(url, {"theme": "x"}, format="json").status_code == 403
    assert api.put(url + "participants/", {"participants": []}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    assert Activity.objects.get().theme == "防诈骗讲座"


def test_the_list_takes_a_fixed_number_of_queries(api, yuehai_manager, yuehai_station):
    people = [file_resident(yuehai_manager, n) for n in (1, 2, 3)]
    for n in range(6):
        make_activity(yuehai_manager, yuehai_station, theme=f"活动{n}", participants=people[:n])
    with CaptureQueriesContext(connection) as queries:
        body = api.get("/api/activities/", {"service_area": "elderly"}).json()
    assert body["count"] == 6
    assert sorted(row["participant_count"] for row in body["results"]) == [0, 1, 2, 3, 3, 3]
    assert len(queries) <= 4
