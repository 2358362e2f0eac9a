"""A volunteer's own tasks, on the portal pages and in the API: only theirs, with the minimum
of the person served (name, village, need, a masked phone)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from wushe.matching import task_services
from wushe.matching.choices import NeedStatus, TaskStatus
from wushe.matching.models import Need, Task
from wushe.matching.run_services import match_run
from wushe.matching.tests.sample import (
    KEJIYUAN,
    SHENDA,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def world(yuehai_manager, yuehai_station):
    put_points()
    wang = make_volunteer(yuehai_manager, "王近", KEJIYUAN, username="vol_wang")
    zhao = make_volunteer(yuehai_manager, "赵远", SHENDA, username="vol_zhao")
    zhang = make_resident(yuehai_manager, "张秀英", phone="13812345678")
    need = make_need(
        yuehai_manager, yuehai_station, zhang, description="每天午餐送餐上门", address="科技园1栋"
    )
    result = match_run(actor=yuehai_manager, station=yuehai_station, today=timezone.localdate())
    task = task_services.proposal_accept(
        actor=yuehai_manager, proposal=result.proposals[0], today=timezone.localdate()
    )
    assert task.volunteer == wang
    return {"wang": wang, "zhao": zhao, "zhang": zhang, "need": need, "task": task}


def test_a_volunteer_sees_their_task_with_a_masked_phone_and_nothing_more(client, world):
    client.force_login(world["wang"].user)
    listing = client.get("/volunteer/tasks/")
    assert listing.status_code == 200
    page = client.get(f"/volunteer/tasks/{world['task'].pk}/").content.decode()
    assert "张秀英" in page and "科技园社区" in page and "每天午餐送餐上门" in page
    assert "138****5678" in page and "13812345678" not in page
    assert world["zhang"].id_number not in page
    assert world["zhang"].id_number not in listing.content.decode()


def test_another_volunteers_task_is_404_on_pages_and_api(client, world):
    client.force_login(world["zhao"].user)
    task = world["task"]
    assert client.get(f"/volunteer/tasks/{task.pk}/").status_code == 404
    assert (
        client.post(f"/volunteer/tasks/{task.pk}/answer/", {"answer": "accept"}).status_code == 404
    )
    assert "张秀英" not in client.get("/volunteer/tasks/").content.decode()
    token = Token.objects.create(user=world["zhao"].user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/volunteer/tasks/", **auth).json()["count"] == 0
    assert client.get(f"/api/volunteer/tasks/{task.pk}/", **auth).status_code == 404
    answer = client.post(
        f"/api/volunteer/tasks/{task.pk}/answer/", {"answer": "accept"}, content_type=JSON, **auth
    )
    assert answer.status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OFFERED


def test_the_volunteer_accepts_in_the_portal(client, world):
    client.force_login(world["wang"].user)
    task = world["task"]
    response = client.post(f"/volunteer/tasks/{task.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ACCEPTED
    assert Need.objects.get(pk=world["need"].pk).status == NeedStatus.IN_SERVICE
    again = client.post(f"/volunteer/tasks/{task.pk}/answer/", {"answer": "decline"}, follow=True)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ACCEPTED
    assert "不能" in again.content.decode()


def test_the_volunteer_declines_through_the_api(client, world):
    token = Token.objects.create(user=world["wang"].user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    body = client.get("/api/volunteer/tasks/", **auth).json()
    (row,) = body["results"]
    assert row["name"] == "张秀英" and row["village"] == "科技园社区居委会"
    assert row["phone"] == "138****5678"
    assert "id_number" not in row and "address" not in row and "notes" not in row
    bad = client.post(
        f"/api/volunteer/tasks/{row['id']}/answer/", {"answer": "maybe"}, content_type=JSON, **auth
    )
    assert bad.status_code == 400 and "answer" in bad.json()
    done = client.post(
        f"/api/volunteer/tasks/{row['id']}/answer/",
        {"answer": "decline"},
        content_type=JSON,
        **auth,
    )
    assert done.status_code == 200 and done.json()["status"] == TaskStatus.DECLINED
    assert Need.objects.get(pk=world["need"].pk).status == NeedStatus.OPEN


def test_staff_cannot_open_the_volunteer_task_pages_or_api(client, world, yuehai_manager):
    client.force_login(yuehai_manager)
    assert client.get("/volunteer/tasks/").status_code == 404
    assert client.get(f"/volunteer/tasks/{world['task'].pk}/").status_code == 404
    assert client.get("/api/volunteer/tasks/").status_code == 404


def test_a_volunteer_cannot_reach_the_staff_matching_pages_or_api(client, world):
    client.force_login(world["wang"].user)
    for path in ("/matching/", f"/matching/tasks/{world['task'].pk}/", "/api/tasks/"):
        assert client.get(path).status_code == 404, path


def test_the_portal_home_lists_the_tasks_waiting_for_an_answer(client, world):
    client.force_login(world["wang"].user)
    page = client.get("/volunteer/").content.decode()
    assert "每天午餐送餐上门" in page and f"/volunteer/tasks/{world['task'].pk}/" in page
    client.force_login(world["zhao"].user)
    assert "每天午餐送餐上门" not in client.get("/volunteer/").content.decode()


def test_opening_a_task_is_a_recorded_view_on_the_page_and_in_the_api(client, world):
    from wushe.audit.models import AuditEntry

    task = world["task"]
    user = world["wang"].user
    client.force_login(user)
    assert client.get(f"/volunteer/tasks/{task.pk}/").status_code == 200
    token, _created = Token.objects.get_or_create(user=user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get(f"/api/volunteer/tasks/{task.pk}/", **auth).status_code == 200
    views = AuditEntry.objects.filter(
        action="view", object_type="matching.task", object_id=str(task.pk), actor=user
    )
    assert views.count() == 2
    assert {entry.region_code for entry in views} == {task.region_code}
