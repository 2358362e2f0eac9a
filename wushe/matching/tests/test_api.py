"""The three lists and matching through the API: field errors as JSON, nothing written on a
refusal, the whole flow from a need to the hours on the ledger."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from wushe.matching.choices import NeedStatus, TaskStatus
from wushe.matching.models import MatchRun, Need, OrganisationOffer, Proposal, ServiceProject
from wushe.matching.tests.sample import (
    KEJIYUAN,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)
from wushe.organisations.tests.sample import make_organisation
from wushe.volunteers.selectors import balance

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def api(yuehai_manager) -> APIClient:
    return api_for(yuehai_manager)


@pytest.fixture
def zhang(yuehai_manager):
    return make_resident(yuehai_manager, "张秀英")


def need_body(station, resident, **fields) -> dict:
    return {
        "station": station.pk,
        "resident": resident.pk,
        "service_area": "elderly",
        "skills": ["meals"],
        "urgency": 0,
        "date_from": timezone.localdate().isoformat(),
        "window": 0b111,
        "description": "每天午餐送餐上门",
        **fields,
    }


def test_a_need_is_recorded_changed_and_cancelled(api, yuehai_station, zhang):
    created = api.post("/api/needs/", need_body(yuehai_station, zhang), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["region"] == KEJIYUAN and body["skills"] == ["meals"]
    assert body["urgency_label"] == "紧急" and body["status"] == "open"
    url = f"/api/needs/{body['id']}/"
    changed = api.patch(url, {"skills": ["meals", "visiting"]}, format="json")
    assert changed.status_code == 200 and set(changed.json()["skills"]) == {"meals", "visiting"}
    cancelled = api.post(url + "cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api.patch(url, {"description": "x"}, format="json")
    assert again.status_code == 400 and "status" in again.json()


def test_bad_needs_get_field_messages_and_nothing_is_written(api, yuehai_station, zhang):
    for fields, field in (
        ({"skills": ["no_such_skill"]}, "skills"),
        ({"window": 2**21}, "window"),
        ({"urgency": 7}, "urgency"),
        ({"resident": 2**63}, "resident"),
        ({"region": "440305005001"}, "region"),
        ({"date_to": "2000-01-01"}, "date_to"),
        ({"latitude": "91"}, "latitude"),
        ({"station": "abc"}, "station"),
    ):
        body = {**need_body(yuehai_station, zhang), **fields}
        answer = api.post("/api/needs/", body, format="json")
        assert answer.status_code == 400, fields
        assert field in answer.json(), (fields, answer.json())
    assert not Need.objects.exists()


def test_the_need_list_does_not_grow_in_queries(api, yuehai_manager, yuehai_station):
    for index in range(2):
        make_need(yuehai_manager, yuehai_station, make_resident(yuehai_manager, f"甲{index}"))
    with CaptureQueriesContext(connection) as few:
        api.get("/api/needs/")
    for index in range(6):
        make_need(yuehai_manager, yuehai_station, make_resident(yuehai_manager, f"乙{index}"))
    with CaptureQueriesContext(connection) as many:
        assert api.get("/api/needs/").json()["count"] == 8
    assert len(many) == len(few)


def test_from_a_run_to_the_hours_on_the_ledger(api, yuehai_manager, yuehai_station, zhang):
    put_points()
    wang = make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    make_need(yuehai_manager, yuehai_station, zhang)
    dry = api.post("/api/match-runs/", {"station": yuehai_station.pk, "dry_run": True})
    assert dry.status_code == 200 and dry.json()["met"] == 1 and not MatchRun.objects.exists()
    run = api.post("/api/match-runs/", {"station": yuehai_station.pk}, format="json")
    assert run.status_code == 201
    proposals = api.get(f"/api/match-runs/{run.json()['id']}/proposals/").json()
    (proposal,) = proposals
    assert proposal["volunteer_name"] == "王近" and "0.0" in proposal["why"]
    assert api.get(f"/api/match-runs/{run.json()['id']}/unmet/").json() == []
    task = api.post(f"/api/proposals/{proposal['id']}/accept/")
    assert task.status_code == 201 and task.json()["status"] == TaskStatus.OFFERED
    url = f"/api/tasks/{task.json()['id']}/"
    assert api.post(url + "answer/", {"answer": "accept"}).json()["status"] == "accepted"
    bad = api.post(url + "complete/", {"served_on": "2999-01-01", "hours": "2"}, format="json")
    assert bad.status_code == 400 and "served_on" in bad.json()
    done = api.post(
        url + "complete/",
        {"served_on": timezone.localdate().isoformat(), "hours": "3", "tier": "skilled"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert balance(wang)[0] == 3
    assert Need.objects.get().status == NeedStatus.DONE


def test_a_hand_edit_breaking_a_constraint_is_a_400_naming_it(
    api, yuehai_manager, yuehai_station, zhang
):
    put_points()
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    lawyer = make_volunteer(yuehai_manager, "赵法律", KEJIYUAN, skills=("legal",))
    make_need(yuehai_manager, yuehai_station, zhang)
    api.post("/api/match-runs/", {"station": yuehai_station.pk}, format="json")
    proposal = Proposal.objects.get()
    answer = api.post(f"/api/proposals/{proposal.pk}/edit/", {"volunteer": lawyer.pk})
    assert answer.status_code == 400
    assert "助餐送餐" in answer.json()["volunteer"][0]
    assert Proposal.objects.get().volunteer.name == "王近"
    neither = api.post(f"/api/proposals/{proposal.pk}/edit/", {}, format="json")
    assert neither.status_code == 400
    rejected = api.post(f"/api/proposals/{proposal.pk}/reject/")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"


def test_projects_and_offers_through_the_api(api, yuehai_manager, yuehai_station, zhang):
    need = make_need(yuehai_manager, yuehai_station, zhang)
    body = {
        "station": yuehai_station.pk,
        "name": "长者助餐计划",
        "service_area": "elderly",
        "target_group": "独居高龄老人",
        "period_from": "2026-01-01",
        "period_to": "2026-12-31",
        "capacity": 40,
        "needs": [need.pk],
    }
    created = api.post("/api/service-projects/", body, format="json")
    assert created.status_code == 201 and created.json()["needs"] == [need.pk]
    backwards = api.post(
        "/api/service-projects/", {**body, "period_to": "2025-01-01"}, format="json"
    )
    assert backwards.status_code == 400 and "period_to" in backwards.json()
    assert ServiceProject.objects.count() == 1
    organisation = make_organisation(yuehai_manager, "440305007000", 1, name="阳光社工服务中心")
    offer = {
        "organisation": organisation.pk,
        "station": yuehai_station.pk,
        "service_areas": ["elderly"],
        "skills": ["medical_escort"],
        "capacity": 4,
        "radius_km": "6",
    }
    answer = api.post("/api/organisation-offers/", offer, format="json")
    assert answer.status_code == 201 and answer.json()["skills"] == ["medical_escort"]
    bad = api.post("/api/organisation-offers/", {**offer, "service_areas": ["x"]}, format="json")
    assert bad.status_code == 400 and OrganisationOffer.objects.count() == 1
    # A skill code no skill can have (a NUL byte, which PostgreSQL refuses in any text) or not
    # a text at all: a field error, not a 500.
    for skills in (["meals\x00"], [7], [None]):
        odd = api.post("/api/organisation-offers/", {**offer, "skills": skills}, format="json")
        assert odd.status_code == 400 and "skills" in odd.json(), skills
    assert OrganisationOffer.objects.count() == 1


def test_an_auditor_reads_and_gets_403_on_writes(nanshan_auditor, yuehai_station, zhang):
    api = api_for(nanshan_auditor)
    assert api.get("/api/needs/").status_code == 200
    assert (
        api.post("/api/needs/", need_body(yuehai_station, zhang), format="json").status_code == 403
    )
    assert api.post("/api/match-runs/", {"station": yuehai_station.pk}).status_code == 403
    assert not Need.objects.exists()


def test_opening_a_need_is_a_recorded_view_on_the_page_and_in_the_api(
    client, api, yuehai_manager, yuehai_station, zhang
):
    from wushe.audit.models import AuditEntry

    need = make_need(yuehai_manager, yuehai_station, zhang)
    assert api.get(f"/api/needs/{need.pk}/").json()["id"] == need.pk
    client.force_login(yuehai_manager)
    assert client.get(f"/matching/needs/{need.pk}/").status_code == 200
    views = AuditEntry.objects.filter(
        action="view", object_type="matching.need", object_id=str(need.pk), success=True
    )
    assert views.count() == 2 and {entry.region_code for entry in views} == {need.region_id}
    assert api.get("/api/needs/").json()["count"] == 1
    assert views.count() == 2  # a list is not an opening
