"""The social worker pages: list, forms with errors in Chinese, detail (an audited view with
masked numbers), unmasking, trainings."""

from __future__ import annotations

from datetime import date

import pytest

from wushe.audit.models import AuditEntry
from wushe.people.identity import mask_id_number
from wushe.workers.models import SocialWorker, Training
from wushe.workers.tests.sample import make_worker, worker_id_number

pytestmark = pytest.mark.django_db


def form(site, **changes) -> dict:
    data = {
        "name": "陈晓",
        "gender": "",
        "id_number": worker_id_number(40),
        "phone": "13900139000",
        "site": str(site.pk),
        "user": "",
        "certificate_level": "intermediate",
        "certificate_number": "Z2021123",
        "certificate_year": "2021",
        "employment": "full_time",
        "education": "bachelor",
        "major": "社会工作",
        "stars": "3",
        "status": "active",
        "joined_on": "2022-09-01",
        "left_on": "",
    }
    return {**data, **changes}


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def test_the_list_shows_counts_and_filters(manager_client, nanshan_admin, yuehai_station):
    make_worker(nanshan_admin, yuehai_station, 1, name="张社工", is_supervisor=True)
    make_worker(nanshan_admin, yuehai_station, 2, name="李社工", certificate_level="none")
    page = manager_client.get("/workers/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "张社工" in text and "李社工" in text and "在岗 2 人" in text
    page = manager_client.get("/workers/", {"is_supervisor": "true"})
    assert [w.name for w in page.context["page"]] == ["张社工"]
    page = manager_client.get("/workers/", {"certificate_level": "none"})
    assert [w.name for w in page.context["page"]] == ["李社工"]
    page = manager_client.get("/workers/", {"site": str(yuehai_station.pk)})
    assert len(page.context["page"]) == 2
    assert manager_client.get("/workers/", {"site": "abc"}).status_code == 400
    assert manager_client.get("/workers/", {"site": "9" * 30}).status_code == 400
    # ID numbers and phones never appear in the list.
    assert worker_id_number(1) not in text and "1390013" not in text


def test_registering_with_bad_fields_shows_chinese_errors_and_writes_nothing(
    manager_client, yuehai_station
):
    data = form(
        yuehai_station,
        id_number="440305199001015999",
        phone="12345",
        certificate_number="",
        certificate_year="2005",
    )
    page = manager_client.post("/workers/new/", data)
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert set(errors) >= {"id_number", "phone", "certificate_number", "certificate_year"}
    text = page.content.decode()
    assert "请输入证书编号。" in text and "2008" in text and "校验码" in text
    assert not SocialWorker.objects.exists()
    page = manager_client.post("/workers/new/", form(yuehai_station, stars="9"))
    assert page.status_code == 400 and "stars" in page.context["form"].errors
    assert not SocialWorker.objects.exists()


def test_registering_editing_and_opening_a_worker(manager_client, yuehai_station):
    answer = manager_client.post("/workers/new/", form(yuehai_station))
    worker = SocialWorker.objects.get()
    assert answer.status_code == 302 and answer.url == f"/workers/{worker.pk}/"
    page = manager_client.get(answer.url)
    text = page.content.decode()
    assert page.status_code == 200
    assert mask_id_number(worker.id_number) in text and worker.id_number not in text
    assert "13900139000" not in text
    viewed = AuditEntry.objects.filter(action="view", object_type="workers.socialworker")
    assert viewed.count() == 1
    edit = manager_client.get(f"/workers/{worker.pk}/edit/")
    assert edit.status_code == 200 and worker.id_number not in edit.content.decode()
    data = form(yuehai_station, id_number="", phone="", stars="4", is_supervisor="on")
    assert manager_client.post(f"/workers/{worker.pk}/edit/", data).status_code == 302
    worker.refresh_from_db()
    assert worker.stars == 4 and worker.is_supervisor
    assert worker.id_number == worker_id_number(40) and worker.phone == "13900139000"


def test_unmasking_is_a_post_and_an_audited_view(
    manager_client, client, nanshan_auditor, yuehai_manager, yuehai_station
):
    worker = make_worker(yuehai_manager, yuehai_station, 3)
    url = f"/workers/{worker.pk}/unmask/"
    assert manager_client.get(url).status_code == 405
    answer = manager_client.post(url, {"field": "phone"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and worker.phone in answer.content.decode()
    assert manager_client.post(url, {"field": "name"}).status_code == 400
    client.force_login(nanshan_auditor)
    assert client.post(url, {"field": "id_number"}).status_code == 403
    views = AuditEntry.objects.filter(object_type="workers.socialworker", action="view")
    assert views.filter(success=True).count() == 1
    assert views.filter(success=False, actor=nanshan_auditor).count() == 1


def test_recording_and_removing_trainings(client, shekou_worker, nanshan_admin):
    from conftest import SHEKOU, make_site
    from wushe.regions.choices import SiteKind

    site = make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")
    worker = make_worker(nanshan_admin, site, 4)
    client.force_login(shekou_worker)
    url = f"/workers/{worker.pk}/trainings/new/"
    page = client.post(url, {"title": "", "held_on": "2025-01-01", "hours": "0"})
    assert page.status_code == 400
    assert set(page.context["training_form"].errors) == {"title", "hours"}
    assert not Training.objects.exists()
    data = {"title": "儿童保护实务", "provider": "深圳社工协会", "held_on": "2025-03-08"}
    assert client.post(url, {**data, "hours": "7.5"}).status_code == 302
    page = client.get(f"/workers/{worker.pk}/")
    assert "儿童保护实务" in page.content.decode() and "7.5" in page.content.decode()
    training = Training.objects.get()
    assert training.held_on == date(2025, 3, 8)
    answer = client.post(f"/workers/{worker.pk}/trainings/{training.pk}/delete/")
    assert answer.status_code == 302 and not Training.objects.exists()
    # A worker keeps trainings, not the register.
    assert client.get(f"/workers/{worker.pk}/edit/").status_code == 403
    assert client.get("/workers/new/").status_code == 403


def test_a_site_where_social_workers_work_cannot_be_deleted(client, nanshan_admin, yuehai_station):
    from rest_framework.test import APIClient

    from wushe.regions.models import Site

    make_worker(nanshan_admin, yuehai_station, 5)
    client.force_login(nanshan_admin)
    page = client.post(f"/regions/sites/{yuehai_station.pk}/delete/")
    assert page.status_code == 400 and "请关闭" in page.content.decode()
    api = APIClient()
    api.force_authenticate(nanshan_admin)
    answer = api.delete(f"/api/sites/{yuehai_station.pk}/")
    assert answer.status_code == 400 and "site" in answer.json()
    assert Site.objects.filter(pk=yuehai_station.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_the_pages_speak_english_when_chosen(manager_client, yuehai_manager, yuehai_station):
    worker = make_worker(yuehai_manager, yuehai_station, 6)
    manager_client.cookies["django_language"] = "en"
    page = manager_client.get(f"/workers/{worker.pk}/").content.decode()
    assert "Assistant social worker" in page and "Full-time" in page
    page = manager_client.post("/workers/new/", form(yuehai_station, certificate_number=""))
    assert "Enter the certificate number." in page.content.decode()


def test_the_list_page_and_api_query_a_constant_number_of_times(
    manager_client, yuehai_manager, yuehai_station, yuehai_room, django_assert_max_num_queries
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(yuehai_manager)
    make_worker(yuehai_manager, yuehai_station, 7, user=yuehai_manager)
    with django_assert_max_num_queries(20) as few:
        manager_client.get("/workers/")
    with django_assert_max_num_queries(8) as few_api:
        api.get("/api/social-workers/")
    for sequence in range(8, 14):
        site = yuehai_room if sequence % 2 else yuehai_station
        make_worker(yuehai_manager, site, sequence)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(manager_client.get("/workers/").context["page"]) == 7
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert api.get("/api/social-workers/").json()["count"] == 7
