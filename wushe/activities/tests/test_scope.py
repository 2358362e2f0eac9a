"""The scope matrix for community activities (after wushe/core/tests/test_scope_matrix.py): for
every role of the cast, every page and API endpoint answers 404 for an activity outside the
user's subtree and leaves it out of lists; a resident outside it cannot be made a participant.

What is "outside" is computed from each user's region, not listed by hand.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from wushe.accounts.models import User
from wushe.activities.models import Activity
from wushe.activities.services import WRITERS
from wushe.groups.tests.sample import SHEKOU_VILLAGE, file_resident, make_activity, scope_world

pytestmark = pytest.mark.django_db

ROLES = ["nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor", "futian_admin"]
MISSING = 987654


@pytest.fixture
def world(cast):
    return scope_world()


def split(user: User, objects, code_of=lambda obj: obj.region_code):
    inside = [obj for obj in objects if user.can_see_code(code_of(obj))]
    outside = [obj for obj in objects if not user.can_see_code(code_of(obj))]
    return inside, outside


@pytest.fixture(params=ROLES)
def actor(request, cast):
    return cast[request.param]


@pytest.fixture
def page_client(client, actor):
    client.force_login(actor)
    return client


@pytest.fixture
def api_client(actor):
    api = APIClient()
    api.force_authenticate(actor)
    return api


def untouched(world) -> None:
    for activity in world["activities"]:
        activity.refresh_from_db()
        assert activity.theme.endswith("活动") and activity.anonymous_count == 20
        assert activity.participants.count() == 1
    assert Activity.objects.count() == len(world["activities"])


def test_pages_answer_404_for_activities_outside(page_client, actor, world):
    _inside, outside = split(actor, world["activities"])
    assert outside, "every role of the cast has something outside its subtree"
    for activity in outside:
        base = f"/activities/{activity.pk}/"
        for url in (base, base + "edit/", base + "delete/"):
            assert page_client.get(url).status_code == 404, url
        resident = activity.participants.get()
        for url, data in (
            (base + "edit/", {"theme": "x"}),
            (base + "delete/", {}),
            (base + "participants/search/", {"q": "居民"}),
            (base + "participants/add/", {"resident": resident.pk}),
            (base + "participants/remove/", {"resident": resident.pk}),
        ):
            assert page_client.post(url, data).status_code == 404, url
    assert page_client.get(f"/activities/{MISSING}/").status_code == 404
    untouched(world)


def test_pages_show_activities_inside_and_list_none_outside(page_client, actor, world):
    inside, outside = split(actor, world["activities"])
    listing = page_client.get("/activities/").content.decode()
    for activity in inside:
        assert activity.theme in listing
        assert page_client.get(f"/activities/{activity.pk}/").status_code == 200
    for activity in outside:
        assert activity.theme not in listing
        code = activity.region_code
        assert (
            activity.theme not in page_client.get("/activities/", {"region": code}).content.decode()
        )
    # The station chooser of the form offers no station outside.
    if actor.role in WRITERS:
        form = page_client.get("/activities/new/").content.decode()
        for station in world["stations"]:
            assert (station.name in form) == actor.can_see_code(station.region_id)
        for station in world["stations"]:
            places = page_client.get("/activities/places/", {"station": station.pk})
            assert (station.region.name in places.content.decode()) == actor.can_see_code(
                station.region_id
            )


def test_the_api_answers_404_for_activities_outside(api_client, actor, world):
    _inside, outside = split(actor, world["activities"])
    for activity in outside:
        url = f"/api/activities/{activity.pk}/"
        assert api_client.get(url).status_code == 404
        assert api_client.patch(url, {"theme": "x"}, format="json").status_code == 404
        assert api_client.put(url, {"theme": "x"}, format="json").status_code == 404
        assert api_client.delete(url).status_code == 404
        assert api_client.get(url + "participants/").status_code == 404
        empty = {"participants": []}
        assert api_client.put(url + "participants/", empty, format="json").status_code == 404
    assert api_client.get(f"/api/activities/{MISSING}/").status_code == 404
    untouched(world)


def test_api_lists_leave_outside_activities_out(api_client, actor, world):
    inside, outside = split(actor, world["activities"])
    body = api_client.get("/api/activities/").json()
    assert body["count"] == len(inside)
    assert {row["id"] for row in body["results"]} == {activity.pk for activity in inside}
    for activity in outside:
        found = api_client.get("/api/activities/", {"region": activity.region_code}).json()
        assert found["count"] == 0
        assert api_client.get("/api/activities/", {"q": activity.theme}).json()["count"] == 0


def test_a_resident_outside_cannot_take_part_in_an_activity_inside(
    api_client, page_client, actor, world
):
    activities, _outside = split(actor, world["activities"])
    _inside, strangers = split(actor, world["residents"], lambda r: r.region_id)
    expected = 400 if actor.role in WRITERS else 403
    for activity in activities:
        current = [resident.pk for resident in activity.participants.all()]
        for resident in strangers:
            url = f"/api/activities/{activity.pk}/participants/"
            answer = api_client.put(url, {"participants": [*current, resident.pk]}, format="json")
            assert answer.status_code == expected
            answer = api_client.patch(
                f"/api/activities/{activity.pk}/", {"participants": [resident.pk]}, format="json"
            )
            assert answer.status_code == expected
            page = page_client.post(
                f"/activities/{activity.pk}/participants/add/", {"resident": resident.pk}
            )
            assert page.status_code == expected
            found = page_client.post(
                f"/activities/{activity.pk}/participants/search/", {"q": resident.name}
            )
            assert f"{resident.name} ·" not in found.content.decode()
    untouched(world)
    if actor.role in WRITERS:  # and a new activity cannot name them either
        for station in world["stations"]:
            if actor.can_see_code(station.region_id):
                for resident in strangers:
                    data = {
                        "held_on": "2026-06-01",
                        "theme": "新活动",
                        "place": "广场",
                        "service_area": "youth",
                        "station": station.pk,
                        "participants": [resident.pk],
                    }
                    answer = api_client.post("/api/activities/", data, format="json")
                    assert answer.status_code == 400 and "participants" in answer.json()
        assert Activity.objects.count() == len(world["activities"])


def test_a_participant_placed_from_outside_the_users_subtree_stays_unnamed(
    client, nanshan_admin, yuehai_manager, yuehai_station
):
    outsider = file_resident(nanshan_admin, 7, SHEKOU_VILLAGE, name="蛇口王五")
    activity = make_activity(nanshan_admin, yuehai_station, participants=[outsider])
    client.force_login(yuehai_manager)
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "蛇口王五" not in page and "其他辖区居民" in page
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    rows = api.get(f"/api/activities/{activity.pk}/participants/").json()
    assert rows == [{"id": outsider.pk, "name": None, "region": None, "region_name": None}]
    # Keeping them while adding someone works: the list sent back names them by id.
    local = file_resident(nanshan_admin, 8)
    answer = api.put(
        f"/api/activities/{activity.pk}/participants/",
        {"participants": [outsider.pk, local.pk]},
        format="json",
    )
    assert answer.status_code == 200 and len(answer.json()) == 2
