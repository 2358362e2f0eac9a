"""The scope matrix for group work (after wushe/core/tests/test_scope_matrix.py): for every role
of the cast, every page and API endpoint answers 404 for a group, member or session outside the
user's subtree and leaves them out of lists; a resident outside it cannot join any group.

What is "outside" is computed from each user's region, not listed by hand.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from wushe.accounts.models import User
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.services import WRITERS, member_add
from wushe.groups.tests.sample import (
    SHEKOU_VILLAGE,
    START,
    file_resident,
    make_group,
    scope_world,
)

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
    for group in world["groups"]:
        group.refresh_from_db()
        assert group.name.endswith("小组") and group.planned_sessions == 6
    assert GroupMember.objects.count() == len(world["members"])
    assert GroupMember.objects.filter(left_on__isnull=False).count() == 0
    assert GroupSession.objects.count() == len(world["sessions"])
    for session in world["sessions"]:
        assert session.attendees.count() == 1


def test_pages_answer_404_for_groups_outside(page_client, actor, world):
    _inside, outside = split(actor, world["groups"])
    assert outside, "every role of the cast has something outside its subtree"
    for group, member, session in zip(
        world["groups"], world["members"], world["sessions"], strict=True
    ):
        if group not in outside:
            continue
        base = f"/groups/{group.pk}/"
        for url in (base, base + "edit/", base + "delete/", base + "sessions/new/"):
            assert page_client.get(url).status_code == 404, url
        for url, data in (
            (base + "edit/", {"name": "x"}),
            (base + "delete/", {}),
            (base + "members/search/", {"q": "居民"}),
            (base + "members/add/", {"resident": world["residents"][0].pk}),
            (f"{base}members/{member.pk}/remove/", {"left_on": "2026-04-01"}),
            (base + "sessions/new/", {"held_on": "2026-03-09", "topic": "x"}),
            (f"{base}sessions/{session.pk}/edit/", {"held_on": "2026-03-09", "topic": "x"}),
            (f"{base}sessions/{session.pk}/delete/", {}),
        ):
            assert page_client.post(url, data).status_code == 404, url
    assert page_client.get(f"/groups/{MISSING}/").status_code == 404
    untouched(world)


def test_pages_show_groups_inside_and_list_none_outside(page_client, actor, world):
    inside, outside = split(actor, world["groups"])
    listing = page_client.get("/groups/").content.decode()
    for group in inside:
        assert group.name in listing
        assert page_client.get(f"/groups/{group.pk}/").status_code == 200
    for group in outside:
        assert group.name not in listing
        code = group.region_code[:9]
        assert group.name not in page_client.get("/groups/", {"region": code}).content.decode()


def test_nested_pages_of_a_group_inside_answer_404_for_members_of_another_group(
    page_client, actor, world
):
    inside, _outside = split(actor, world["groups"])
    for group in inside:
        for member, session in zip(world["members"], world["sessions"], strict=True):
            if member.group_id == group.pk:
                continue
            url = f"/groups/{group.pk}/members/{member.pk}/remove/"
            assert page_client.post(url, {"left_on": "2026-04-01"}).status_code == 404
            url = f"/groups/{group.pk}/sessions/{session.pk}/edit/"
            assert page_client.get(url).status_code == 404
    untouched(world)


def test_the_api_answers_404_for_groups_members_and_sessions_outside(api_client, actor, world):
    _inside, outside = split(actor, world["groups"])
    for group, member, session in zip(
        world["groups"], world["members"], world["sessions"], strict=True
    ):
        if group not in outside:
            continue
        url = f"/api/groups/{group.pk}/"
        assert api_client.get(url).status_code == 404
        assert api_client.patch(url, {"name": "x"}, format="json").status_code == 404
        assert api_client.put(url, {"name": "x"}, format="json").status_code == 404
        assert api_client.delete(url).status_code == 404
        for nested in ("members/", "sessions/"):
            assert api_client.get(url + nested).status_code == 404
            assert api_client.post(url + nested, {}, format="json").status_code == 404
        member_url = f"{url}members/{member.pk}/"
        assert api_client.delete(member_url).status_code == 404
        leave = {"left_on": "2026-04-01"}
        assert api_client.post(member_url + "leave/", leave, format="json").status_code == 404
        session_url = f"{url}sessions/{session.pk}/"
        assert api_client.get(session_url).status_code == 404
        assert api_client.patch(session_url, {"topic": "x"}, format="json").status_code == 404
        assert api_client.delete(session_url).status_code == 404
        assert api_client.get(session_url + "attendance/").status_code == 404
        empty = {"attendees": []}
        assert api_client.put(session_url + "attendance/", empty, format="json").status_code == 404
    assert api_client.get(f"/api/groups/{MISSING}/").status_code == 404
    untouched(world)


def test_api_lists_leave_outside_groups_out(api_client, actor, world):
    inside, outside = split(actor, world["groups"])
    body = api_client.get("/api/groups/").json()
    assert body["count"] == len(inside)
    assert {row["id"] for row in body["results"]} == {group.pk for group in inside}
    for group in outside:
        found = api_client.get("/api/groups/", {"region": group.region_code[:9]}).json()
        assert found["count"] == 0
        assert api_client.get("/api/groups/", {"q": group.name}).json()["count"] == 0


def test_a_resident_outside_cannot_join_a_group_inside(api_client, page_client, actor, world):
    groups, _outside = split(actor, world["groups"])
    _inside, strangers = split(actor, world["residents"], lambda r: r.region_id)
    expected = 400 if actor.role in WRITERS else 403
    for group in groups:
        for resident in strangers:
            url = f"/api/groups/{group.pk}/members/"
            answer = api_client.post(url, {"resident": resident.pk}, format="json")
            assert answer.status_code == expected
            page = page_client.post(f"/groups/{group.pk}/members/add/", {"resident": resident.pk})
            assert page.status_code == expected
            found = page_client.post(
                f"/groups/{group.pk}/members/search/", {"q": resident.name}
            ).content.decode()
            assert resident.name not in found
    assert GroupMember.objects.count() == len(world["members"])
    assert Group.objects.count() == len(world["groups"])


def test_a_member_placed_from_outside_the_users_subtree_stays_unnamed(
    client, nanshan_admin, yuehai_manager, yuehai_station
):
    group = make_group(nanshan_admin, yuehai_station)
    outsider = file_resident(nanshan_admin, 7, SHEKOU_VILLAGE, name="蛇口王五")
    member_add(actor=nanshan_admin, group=group, resident=outsider, joined_on=START)
    client.force_login(yuehai_manager)
    for url in (f"/groups/{group.pk}/", f"/groups/{group.pk}/sessions/new/"):
        page = client.get(url).content.decode()
        assert "蛇口王五" not in page and "其他辖区居民" in page
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    members = api.get(f"/api/groups/{group.pk}/members/").json()
    assert [row["resident_name"] for row in members] == [None]
    client.force_login(nanshan_admin)
    assert "蛇口王五" in client.get(f"/groups/{group.pk}/").content.decode()
