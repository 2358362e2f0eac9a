"""/api/social-workers/: masked numbers, audited opening and unmasking, trainings, 400 field
errors, roles."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from wushe.audit.models import AuditEntry
from wushe.workers.models import SocialWorker, Training
from wushe.workers.tests.sample import make_worker, worker_id_number

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def body(site, **changes) -> dict:
    data = {
        "name": "周敏",
        "id_number": worker_id_number(30),
        "phone": "139-0013-9001",
        "site": site.pk,
        "certificate_level": "assistant",
        "certificate_number": "Z2019001",
        "certificate_year": 2019,
        "employment": "part_time",
        "joined_on": "2024-02-01",
    }
    return {**data, **changes}


def test_it_registers_a_worker_and_shows_numbers_only_masked(yuehai_manager, yuehai_station):
    api = api_for(yuehai_manager)
    answer = api.post("/api/social-workers/", body(yuehai_station), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["id_number"] != worker_id_number(30) and data["id_number"].endswith(
        worker_id_number(30)[-4:]
    )
    assert data["phone"] != "13900139001" and data["certified"] is True
    url = f"/api/social-workers/{data['id']}/"
    assert api.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="view", object_id=str(data["id"])).count() == 1
    answer = api.post(url + "unmask/", {"field": "phone"}, format="json")
    assert answer.json() == {"field": "phone", "value": "13900139001"}
    listing = api.get("/api/social-workers/", {"employment": "part_time"}).json()
    assert [row["id"] for row in listing["results"]] == [data["id"]]
    assert worker_id_number(30) not in str(listing)


def test_bad_input_is_a_400_with_field_messages_and_nothing_written(
    yuehai_manager, yuehai_station, futian_station
):
    api = api_for(yuehai_manager)
    answer = api.post(
        "/api/social-workers/",
        body(yuehai_station, certificate_year=2030, stars=9, joined_on="2024-13-01"),
        format="json",
    )
    assert answer.status_code == 400 and set(answer.json()) == {"stars", "joined_on"}
    answer = api.post(
        "/api/social-workers/",
        body(yuehai_station, id_number="123", certificate_year=2001, certificate_number=""),
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"id_number", "certificate_year", "certificate_number", "gender"}
    answer = api.post("/api/social-workers/", body(futian_station), format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"site"}
    assert not SocialWorker.objects.exists()
    worker = make_worker(yuehai_manager, yuehai_station, 31)
    url = f"/api/social-workers/{worker.pk}/trainings/"
    answer = api.post(url, {"title": "", "held_on": "2025-01-01", "hours": "-2"}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"title", "hours"}
    answer = api.post(url, {"title": "a", "held_on": "2025-01-01", "hours": "1.25"}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"hours"}
    assert not Training.objects.exists()


def test_trainings_are_listed_added_and_removed(shekou_worker, nanshan_admin):
    from conftest import SHEKOU, make_site
    from wushe.regions.choices import SiteKind

    site = make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")
    worker = make_worker(nanshan_admin, site, 32)
    api = api_for(shekou_worker)
    url = f"/api/social-workers/{worker.pk}/trainings/"
    answer = api.post(url, {"title": "督导技巧", "held_on": "2025-05-05", "hours": "12"})
    assert answer.status_code == 201
    assert api.get(url).json()[0]["hours"] == "12.0"
    assert api.get(f"/api/social-workers/{worker.pk}/").json()["training_hours"] == "12.0"
    training = answer.json()["id"]
    assert api.delete(f"{url}{training}/").status_code == 204
    assert api.delete(f"{url}{training}/").status_code == 404
    # A worker records trainings but does not keep the register.
    answer = api.patch(f"/api/social-workers/{worker.pk}/", {"stars": 5}, format="json")
    assert answer.status_code == 403


def test_an_auditor_reads_but_cannot_write_or_unmask(
    nanshan_auditor, yuehai_manager, yuehai_station
):
    worker = make_worker(yuehai_manager, yuehai_station, 33)
    api = api_for(nanshan_auditor)
    url = f"/api/social-workers/{worker.pk}/"
    assert api.get(url).status_code == 200
    assert api.post(url + "unmask/", {"field": "id_number"}, format="json").status_code == 403
    assert api.post(url + "trainings/", {"title": "x"}, format="json").status_code == 403
    assert api.post("/api/social-workers/", {}, format="json").status_code == 403
    assert api.patch(url, {"stars": 1}, format="json").status_code == 403
