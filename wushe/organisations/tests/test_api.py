"""/api/organisations/: list and filters, create and change through the services, 400 field
errors, incubation, roles."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import SHEKOU, YUEHAI
from wushe.organisations.models import IncubationPeriod, Organisation
from wushe.organisations.tests.sample import credit_code, make_organisation

pytestmark = pytest.mark.django_db

BODY = {
    "name": "粤海街道长者服务社",
    "kind": "community",
    "region": "440305007003",
    "service_areas": ["elderly"],
    "contact_phone": "0755 2688 8888",
}


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_it_creates_reads_and_changes_an_organisation(yuehai_manager, yuehai_station):
    api = api_for(yuehai_manager)
    answer = api.post("/api/organisations/", BODY, format="json")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["contact_phone"] == "0755-26888888" and body["credit_code"] == ""
    assert body["service_areas"] == ["elderly"] and body["incubations"] == []
    url = f"/api/organisations/{body['id']}/"
    answer = api.patch(url, {"credit_code": credit_code(1), "service_areas": ["youth", "family"]})
    assert answer.status_code == 200
    assert answer.json()["credit_code"] == credit_code(1)
    assert answer.json()["service_areas"] == ["family", "youth"]
    answer = api.post(
        url + "incubation/enter/",
        {"site": yuehai_station.pk, "entered_on": "2025-04-01"},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["base"] == yuehai_station.name
    assert api.get(url).json()["incubating"] is True
    listed = api.get("/api/organisations/", {"incubating": "true"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    answer = api.post(url + "incubation/leave/", {"left_on": "2025-09-30"}, format="json")
    assert answer.status_code == 200 and answer.json()["left_on"] == "2025-09-30"
    assert api.delete(url).status_code == 405  # deregistered, never deleted


def test_bad_input_is_a_400_with_field_messages_and_nothing_written(yuehai_manager):
    api = api_for(yuehai_manager)
    answer = api.post(
        "/api/organisations/",
        {**BODY, "kind": "charity", "contact_phone": "abc", "service_areas": ["astrology"]},
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"service_areas"}
    answer = api.post(
        "/api/organisations/",
        {**BODY, "kind": "charity", "contact_phone": "abc", "credit_code": "123"},
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()) == {"credit_code", "contact_phone"}
    assert "18 位" in answer.json()["credit_code"][0]
    answer = api.post("/api/organisations/", {**BODY, "region": "440304"}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"region"}
    assert not Organisation.objects.exists()
    organisation = make_organisation(yuehai_manager, YUEHAI, 2)
    url = f"/api/organisations/{organisation.pk}/"
    answer = api.post(url + "incubation/enter/", {"site": 10**30, "entered_on": "x"}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"site", "entered_on"}
    answer = api.post(url + "incubation/enter/", {"entered_on": "2025-01-01"}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"site"}
    assert not IncubationPeriod.objects.exists()
    assert api.get("/api/organisations/", {"kind": "nope"}).status_code == 400


def test_roles_auditors_read_and_workers_cannot_change_the_status(
    nanshan_auditor, shekou_worker, nanshan_admin
):
    organisation = make_organisation(nanshan_admin, SHEKOU, 3)
    url = f"/api/organisations/{organisation.pk}/"
    auditor = api_for(nanshan_auditor)
    assert auditor.get(url).status_code == 200
    assert auditor.patch(url, {"name": "x"}, format="json").status_code == 403
    assert auditor.post("/api/organisations/", BODY, format="json").status_code == 403
    worker = api_for(shekou_worker)
    assert worker.patch(url, {"status": "suspended"}, format="json").status_code == 403
    assert worker.patch(url, {"address": "蛇口"}, format="json").status_code == 200
    admin = api_for(nanshan_admin)
    assert admin.patch(url, {"status": "suspended"}, format="json").json()["status"] == "suspended"
