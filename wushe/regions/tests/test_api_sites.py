import pytest

from conftest import FUTIAN_TOWNSHIP, SHEKOU, YUEHAI, YUEHAI_VILLAGE, make_site, make_user
from wushe.accounts.models import Role
from wushe.audit.models import Action, AuditEntry
from wushe.core.tests.api_client import token_client
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Site

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def room(**fields) -> dict:
    return {"name": "科技园社区社工室", "kind": "room", "region": YUEHAI_VILLAGE, **fields}


def test_it_lists_only_the_sites_of_the_users_subtree(
    cast, yuehai_station, yuehai_room, futian_station
):
    assert names(token_client(cast["nanshan_admin"]).get("/api/sites/")) == {
        yuehai_station.name,
        yuehai_room.name,
    }
    futian = token_client(cast["futian_admin"]).get("/api/sites/").json()
    assert futian["count"] == 1
    assert futian["results"][0]["name"] == futian_station.name
    assert token_client(cast["shekou_worker"]).get("/api/sites/").json()["count"] == 0


def test_a_site_outside_the_subtree_is_404_for_every_method(cast, yuehai_station):
    url = f"/api/sites/{yuehai_station.pk}/"
    for user in (cast["shekou_worker"], cast["futian_admin"]):
        client = token_client(user)
        assert client.get(url).status_code == 404
        assert client.patch(url, {"name": "改"}, format="json").status_code == 404
        assert client.put(url, room(), format="json").status_code == 404
        assert client.delete(url).status_code == 404
    yuehai_station.refresh_from_db()
    assert yuehai_station.name == "粤海街道社工站"


def test_it_shows_a_site_with_its_region_staff_and_checklist(nanshan_admin, yuehai_manager):
    site = make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")
    site.staff.set([yuehai_manager])
    body = token_client(nanshan_admin).get(f"/api/sites/{site.pk}/").json()
    assert body["region"] == YUEHAI
    assert body["region_name"] == "粤海街道"
    assert body["kind"] == "station"
    assert body["staff"] == [yuehai_manager.pk]
    assert body["has_venue"] is False
    assert body["six_haves_met"] == 0


def test_staff_outside_the_viewers_subtree_are_not_listed(nanshan_admin, yuehai_manager):
    site = make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")
    site.staff.set([yuehai_manager, nanshan_admin])
    body = token_client(yuehai_manager).get(f"/api/sites/{site.pk}/").json()
    assert body["staff"] == [yuehai_manager.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "room"}, {"科技园社区社工室"}),
        ({"status": "planned"}, {"科技园社区社工室"}),
        ({"region": "440305007003"}, {"科技园社区社工室"}),
        ({"region": "440305"}, {"粤海街道社工站", "科技园社区社工室"}),
        ({"region": "440304"}, set()),
        ({"region": "not a code"}, set()),
        ({"q": "街道"}, {"粤海街道社工站"}),
    ],
)
def test_it_filters_sites(nanshan_admin, yuehai_station, futian_station, params, expected):
    make_site(YUEHAI_VILLAGE, SiteKind.ROOM, "科技园社区社工室", status=SiteStatus.PLANNED)
    assert names(token_client(nanshan_admin).get("/api/sites/", params)) == expected


@pytest.mark.parametrize(
    "params", [{"kind": "castle"}, {"status": "open"}, {"ordering": "password"}, {"q": "\x00"}]
)
def test_an_unknown_filter_value_is_400(nanshan_admin, params):
    response = token_client(nanshan_admin).get("/api/sites/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_a_manager_creates_a_room_and_it_is_audited(yuehai_manager):
    payload = room(floor_area="35.5", staff=[yuehai_manager.pk], has_venue=True, venue_note="一楼")
    response = token_client(yuehai_manager).post("/api/sites/", payload, format="json")
    assert response.status_code == 201, response.json()
    site = Site.objects.get(pk=response.json()["id"])
    assert site.region_id == YUEHAI_VILLAGE
    assert str(site.floor_area) == "35.5"
    assert list(site.staff.all()) == [yuehai_manager]
    entry = AuditEntry.objects.get(object_type="regions.site", object_id=str(site.pk))
    assert (entry.action, entry.actor) == (Action.CREATE, yuehai_manager)
    assert response.json()["staff"] == [yuehai_manager.pk]


def test_a_short_code_is_accepted_for_the_region(nanshan_admin):
    payload = {"name": "粤海街道社工站", "kind": "station", "region": "440305007"}
    response = token_client(nanshan_admin).post("/api/sites/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["region"] == YUEHAI


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (room(floor_area="-3"), "floor_area"),
        (room(floor_area="abc"), "floor_area"),
        (room(floor_area="1e40"), "floor_area"),
        (room(floor_area="12.345"), "floor_area"),
        (room(floor_area=[1]), "floor_area"),
        (room(kind="castle"), "kind"),
        (room(status="open"), "status"),
        (room(region="4403x"), "region"),
        (room(region=[YUEHAI_VILLAGE]), "region"),
        (room(region=True), "region"),
        (room(region="440305999999"), "region"),
        (room(region=FUTIAN_TOWNSHIP), "region"),
        (room(kind="station"), "region"),
        (room(name=""), "name"),
        (room(name="x" * 101), "name"),
        (room(opened_on="2023-02-30"), "opened_on"),
        (room(staff=["abc"]), "staff"),
        (room(staff=[10**30]), "staff"),
        (room(staff="1"), "staff"),
        (room(has_venue="maybe"), "has_venue"),
        ({"kind": "room", "region": YUEHAI_VILLAGE}, "name"),
    ],
)
def test_bad_input_is_400_with_a_field_message_and_nothing_is_written(
    nanshan_admin, payload, field
):
    response = token_client(nanshan_admin).post("/api/sites/", payload, format="json")
    assert response.status_code == 400
    assert response.json()[field]
    assert not Site.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("&".join(f"staff={n}" for n in range(1100)), "application/x-www-form-urlencoded"),
        ('{"name": ', "application/json"),
        ("[1, 2]", "application/json"),
        ('{"name": "x", "kind": "room", "floor_area": NaN}', "application/json"),
        ("<site/>", "application/xml"),
    ],
)
def test_an_unreadable_body_is_a_json_400(nanshan_admin, body, content_type):
    client = token_client(nanshan_admin)
    response = client.generic("POST", "/api/sites/", body, content_type=content_type)
    assert response.status_code in (400, 415)
    assert response["Content-Type"] == "application/json"
    assert not Site.objects.exists()


def test_staff_from_outside_the_subtree_are_refused(yuehai_manager, futian_admin):
    payload = room(staff=[futian_admin.pk])
    response = token_client(yuehai_manager).post("/api/sites/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["staff"]
    assert not Site.objects.exists()


def test_a_second_open_station_for_a_township_is_refused(nanshan_admin, yuehai_station):
    payload = {"name": "又一个", "kind": "station", "region": YUEHAI}
    response = token_client(nanshan_admin).post("/api/sites/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert Site.objects.count() == 1


def test_errors_are_chinese_by_default_and_english_on_request(nanshan_admin):
    payload = {"kind": "room", "region": YUEHAI_VILLAGE}
    chinese = token_client(nanshan_admin).post("/api/sites/", payload, format="json")
    english = token_client(nanshan_admin, language="en").post("/api/sites/", payload, format="json")
    assert chinese.json()["name"] == ["该字段是必填项。"]
    assert english.json()["name"] == ["This field is required."]


def test_the_services_messages_are_translated_too(yuehai_manager):
    payload = room(region=SHEKOU)
    chinese = token_client(yuehai_manager).post("/api/sites/", payload)
    english = token_client(yuehai_manager, language="en").post("/api/sites/", payload)
    assert chinese.json()["region"] == ["没有该区划。"]
    assert english.json()["region"] == ["No such region."]
    worker = token_client(make_user("yuehai_worker", YUEHAI, Role.WORKER))
    assert worker.post("/api/sites/", room()).json()["detail"] == "您的角色无权修改服务站点。"


@pytest.mark.parametrize("role", ["worker", "auditor"])
def test_workers_and_auditors_cannot_write_sites(role, yuehai_station):
    user = make_user(f"yuehai_{role}", YUEHAI, role)
    client = token_client(user)
    url = f"/api/sites/{yuehai_station.pk}/"
    assert client.get(url).status_code == 200
    assert client.post("/api/sites/", room(), format="json").status_code == 403
    assert client.patch(url, {"name": "改"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    yuehai_station.refresh_from_db()
    assert yuehai_station.name == "粤海街道社工站"
    assert Site.objects.count() == 1


def test_refusals_and_misses_are_recorded_as_denied(shekou_worker, futian_admin, yuehai_station):
    token_client(shekou_worker).post("/api/sites/", room())
    token_client(futian_admin).delete(f"/api/sites/{yuehai_station.pk}/")
    denied = AuditEntry.objects.filter(success=False).order_by("seq")
    assert [(e.actor, e.action, e.object_type) for e in denied] == [
        (shekou_worker, Action.CREATE, "regions.site"),
        (futian_admin, Action.DELETE, "regions.site"),
    ]
    assert denied[1].object_id == str(yuehai_station.pk)
    assert denied[1].object_repr == ""  # the refused user learns nothing from the log
    assert denied[1].region_code == futian_admin.region_id


def test_a_manager_updates_a_site(yuehai_manager, yuehai_station):
    url = f"/api/sites/{yuehai_station.pk}/"
    response = token_client(yuehai_manager).patch(
        url, {"floor_area": 200, "has_rules": True}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["floor_area"] == "200.0"
    yuehai_station.refresh_from_db()
    assert yuehai_station.has_rules
    entry = AuditEntry.objects.get(action=Action.UPDATE)
    assert entry.changes["has_rules"] == ["False", "True"]


def test_a_full_update_replaces_the_fields(nanshan_admin, yuehai_station, yuehai_manager):
    payload = {
        "name": "粤海街道社会工作服务站",
        "kind": "station",
        "region": YUEHAI,
        "status": "suspended",
        "staff": [yuehai_manager.pk],
    }
    url = f"/api/sites/{yuehai_station.pk}/"
    response = token_client(nanshan_admin).put(url, payload, format="json")
    assert response.status_code == 200, response.json()
    yuehai_station.refresh_from_db()
    assert yuehai_station.status == SiteStatus.SUSPENDED
    assert list(yuehai_station.staff.all()) == [yuehai_manager]


def test_an_editor_keeps_the_staff_they_cannot_see(nanshan_admin, yuehai_manager, yuehai_station):
    yuehai_station.staff.set([nanshan_admin])
    url = f"/api/sites/{yuehai_station.pk}/"
    response = token_client(yuehai_manager).patch(url, {"staff": [yuehai_manager.pk]})
    assert response.status_code == 200
    assert response.json()["staff"] == [yuehai_manager.pk]
    assert set(yuehai_station.staff.all()) == {nanshan_admin, yuehai_manager}


def test_a_bad_update_changes_nothing(nanshan_admin, yuehai_station):
    url = f"/api/sites/{yuehai_station.pk}/"
    response = token_client(nanshan_admin).patch(url, {"region": SHEKOU + "1"}, format="json")
    assert response.status_code == 400
    response = token_client(nanshan_admin).patch(url, {"region": "440305007003"}, format="json")
    assert response.status_code == 400
    assert response.json()["region"]
    yuehai_station.refresh_from_db()
    assert yuehai_station.region_id == YUEHAI
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_only_an_administrator_deletes(yuehai_manager, nanshan_admin, yuehai_station):
    url = f"/api/sites/{yuehai_station.pk}/"
    assert token_client(yuehai_manager).delete(url).status_code == 403
    assert token_client(nanshan_admin).delete(url).status_code == 204
    assert not Site.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, actor=nanshan_admin).exists()


@pytest.mark.parametrize("pk", ["abc", "-1", "0", "1.5", "99999999999999999999999", "9" * 19])
def test_a_malformed_or_huge_id_is_404(nanshan_admin, pk):
    client = token_client(nanshan_admin)
    assert client.get(f"/api/sites/{pk}/").status_code == 404
    assert client.delete(f"/api/sites/{pk}/").status_code == 404


def test_without_credentials_it_is_401(yuehai_station):
    client = token_client()
    assert client.get("/api/sites/").status_code == 401
    assert client.get(f"/api/sites/{yuehai_station.pk}/").status_code == 401
    assert client.post("/api/sites/", room(), format="json").status_code == 401
    assert not Site.objects.filter(kind="room").exists()


def test_a_site_list_costs_a_fixed_number_of_queries(
    nanshan_admin, yuehai_manager, django_assert_max_num_queries
):
    for code in ("440305001000", "440305002000", "440305003000", YUEHAI):
        site = make_site(code, SiteKind.STATION, f"站 {code}")
        site.staff.set([yuehai_manager, nanshan_admin])
    make_site(YUEHAI_VILLAGE, SiteKind.ROOM, "科技园社区社工室")
    make_user("worker_2", YUEHAI, Role.WORKER)
    client = token_client(nanshan_admin)
    # token and user, the user's region, the count, the page with regions, the staff
    with django_assert_max_num_queries(5):
        response = client.get("/api/sites/")
    assert response.json()["count"] == 5


def test_a_lone_surrogate_in_a_site_body_is_refused_not_a_500(nanshan_admin):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(nanshan_admin)
    body = '{"name": "\\ud800", "kind": "station", "region": "440305007"}'
    answer = api.post("/api/sites/", body, content_type="application/json")
    assert answer.status_code == 400
