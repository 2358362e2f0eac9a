from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import YUEHAI, YUEHAI_VILLAGE
from wushe.activities.models import Activity
from wushe.audit.models import AuditEntry
from wushe.groups.tests.sample import file_resident, make_activity
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def form_data(site, **fields) -> dict:
    return {
        "held_on": "2026-06-01",
        "theme": "重阳敬老活动",
        "place": "科技园社区广场",
        "service_area": "elderly",
        "station": site.pk,
        "region": "",
        "anonymous_count": "40",
        "volunteer_names": "王小明、李华\n张伟",
        "volunteer_count": "",
        "notes": "",
        **fields,
    }


def person_times(code: str) -> int:
    rows = Tally.objects.filter(region_code=code, metric="person_times")
    return sum(row.value for row in rows)


def test_an_activity_is_recorded_from_the_form(manager_client, yuehai_station):
    response = manager_client.post("/activities/new/", form_data(yuehai_station))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == f"/activities/{activity.pk}/"
    assert activity.region_code == YUEHAI
    assert activity.volunteer_names == ["王小明", "李华", "张伟"] and activity.volunteer_count == 3
    assert person_times(YUEHAI) == 40
    page = manager_client.get(response.url).content.decode()
    assert "重阳敬老活动" in page and "为老服务" in page and "王小明、李华、张伟" in page


def test_it_is_held_in_a_village_of_the_station(manager_client, yuehai_station):
    data = form_data(yuehai_station, region=YUEHAI_VILLAGE)
    assert manager_client.post("/activities/new/", data).status_code == 302
    assert Activity.objects.get().region_code == YUEHAI_VILLAGE
    places = manager_client.get("/activities/places/", {"station": yuehai_station.pk})
    assert "科技园社区" in places.content.decode()
    assert manager_client.get("/activities/places/", {"station": "x" * 30}).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"anonymous_count": "-5"}, "anonymous_count"),
        ({"anonymous_count": "1e9"}, "anonymous_count"),
        ({"region": "440305005001"}, "region"),  # a 蛇口 village: outside the manager's subtree
        ({"region": "440305"}, "region"),  # above the station
        ({"held_on": "2099-01-01"}, "held_on"),
        ({"volunteer_count": "1"}, "volunteer_count"),
        ({"theme": ""}, "theme"),
        ({"station": "99999999999999999999999"}, "station"),
    ],
)
def test_bad_forms_show_the_error_beside_the_field_and_write_nothing(
    manager_client, yuehai_station, fields, field
):
    response = manager_client.post("/activities/new/", form_data(yuehai_station, **fields))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Activity.objects.exists() and not Tally.objects.exists()


def test_errors_are_in_chinese_and_in_english_once_chosen(manager_client, yuehai_station):
    data = form_data(yuehai_station, volunteer_count="1")
    chinese = manager_client.post("/activities/new/", data).content.decode()
    assert "志愿者人数少于所填写的名字数" in chinese
    manager_client.cookies["django_language"] = "en"
    english = manager_client.post("/activities/new/", data).content.decode()
    assert "Fewer volunteers than the names given." in english


def test_an_activity_is_edited_and_moves_its_tallies(
    manager_client, yuehai_manager, yuehai_station
):
    activity = make_activity(yuehai_manager, yuehai_station)
    edit = manager_client.get(f"/activities/{activity.pk}/edit/")
    assert edit.status_code == 200 and "防诈骗讲座" in edit.content.decode()
    data = form_data(yuehai_station, held_on="2026-07-15", region=YUEHAI_VILLAGE)
    assert manager_client.post(f"/activities/{activity.pk}/edit/", data).status_code == 302
    rows = Tally.objects.filter(region_code=YUEHAI_VILLAGE, metric="activities").exclude(value=0)
    assert [(row.month, row.value) for row in rows] == [(date(2026, 7, 1), 1)]
    assert person_times(YUEHAI) == 40


def test_participants_are_found_added_and_removed_on_the_page(
    manager_client, yuehai_manager, yuehai_station
):
    activity = make_activity(yuehai_manager, yuehai_station)
    zhang = file_resident(yuehai_manager, 1, name="张三丰")
    found = manager_client.post(
        f"/activities/{activity.pk}/participants/search/", {"q": "张三"}, HTTP_HX_REQUEST="true"
    )
    assert "张三丰" in found.content.decode() and "<html" not in found.content.decode()
    url = f"/activities/{activity.pk}/participants/"
    assert manager_client.post(url + "add/", {"resident": zhang.pk}).status_code == 302
    assert list(activity.participants.all()) == [zhang]
    assert person_times(YUEHAI) == 21
    page = manager_client.get(f"/activities/{activity.pk}/")
    assert "张三丰" in page.content.decode() and "no-store" in page["Cache-Control"]
    assert manager_client.post(url + "add/", {"resident": 987654}).status_code == 400
    assert manager_client.post(url + "add/", {"resident": "x"}).status_code == 400
    assert manager_client.post(url + "remove/", {"resident": zhang.pk}).status_code == 302
    assert not activity.participants.exists()
    assert person_times(YUEHAI) == 20


def test_the_auditor_reads_but_cannot_write(
    client, nanshan_auditor, yuehai_manager, yuehai_station
):
    activity = make_activity(yuehai_manager, yuehai_station)
    client.force_login(nanshan_auditor)
    assert client.get(f"/activities/{activity.pk}/").status_code == 200
    assert client.get("/activities/").status_code == 200
    assert client.get("/activities/new/").status_code == 403
    assert client.post(f"/activities/{activity.pk}/edit/", {}).status_code == 403
    assert client.post(f"/activities/{activity.pk}/delete/").status_code == 403
    assert client.post(f"/activities/{activity.pk}/participants/add/", {}).status_code == 403
    assert Activity.objects.exists()
    assert AuditEntry.objects.filter(success=False, actor=nanshan_auditor).count() == 4


def test_an_activity_is_deleted_after_confirming(manager_client, yuehai_manager, yuehai_station):
    activity = make_activity(yuehai_manager, yuehai_station)
    assert manager_client.get(f"/activities/{activity.pk}/delete/").status_code == 200
    assert manager_client.post(f"/activities/{activity.pk}/delete/").status_code == 302
    assert not Activity.objects.exists() and person_times(YUEHAI) == 0


def test_the_list_filters_and_refuses_bad_dates(manager_client, yuehai_manager, yuehai_station):
    make_activity(yuehai_manager, yuehai_station)
    make_activity(yuehai_manager, yuehai_station, theme="亲子阅读", held_on=date(2026, 8, 8))
    page = manager_client.get("/activities/", {"held_after": "2026-07-01"}).content.decode()
    assert "亲子阅读" in page and "防诈骗讲座" not in page
    assert manager_client.get("/activities/", {"held_after": "soon"}).status_code == 400
    assert manager_client.get("/activities/", {"page": "999"}).status_code == 200


def test_the_list_and_detail_pages_take_as_many_queries_for_many_rows_as_for_one(
    manager_client, yuehai_manager, yuehai_station
):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200
        return len(captured)

    people = [file_resident(yuehai_manager, n) for n in range(1, 6)]
    activity = make_activity(yuehai_manager, yuehai_station, participants=people[:1])
    few = queries("/activities/"), queries(f"/activities/{activity.pk}/")
    for n in range(4):
        make_activity(yuehai_manager, yuehai_station, theme=f"活动{n}", participants=people)
    activity.participants.set(people)
    assert (queries("/activities/"), queries(f"/activities/{activity.pk}/")) == few
