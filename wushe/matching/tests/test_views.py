"""The pages of the three lists and matching, as a station worker uses them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wushe.audit.models import AuditEntry
from wushe.matching.choices import NeedStatus, ProposalStatus, TaskStatus
from wushe.matching.models import (
    MatchRun,
    Need,
    OrganisationOffer,
    Proposal,
    ServiceProject,
    Task,
)
from wushe.matching.tests.sample import (
    KEJIYUAN,
    SHENDA,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
    skill,
)
from wushe.organisations.tests.sample import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


@pytest.fixture
def zhang(yuehai_manager):
    return make_resident(yuehai_manager, "张秀英")


def need_data(station, resident, **fields) -> dict:
    return {
        "station": station.pk,
        "resident": resident.pk,
        "source": "request",
        "service_area": "elderly",
        "skills": [skill("meals").pk],
        "urgency": "0",
        "date_from": timezone.localdate().isoformat(),
        "window": ["0", "3"],  # Monday and Tuesday mornings
        "description": "每天午餐送餐上门",
        **fields,
    }


def test_a_need_is_recorded_from_the_form(manager_client, yuehai_station, zhang):
    response = manager_client.post("/matching/needs/new/", need_data(yuehai_station, zhang))
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == f"/matching/needs/{need.pk}/"
    assert need.window == 0b1001 and need.urgency == 0 and need.region_id == KEJIYUAN
    page = manager_client.get(response.url).content.decode()
    assert "每天午餐送餐上门" in page and "助餐送餐" in page and "紧急" in page
    assert "周一 上午" in page or "周一上午" in page
    listing = manager_client.get("/matching/").content.decode()
    assert "张秀英" in listing


def test_bad_input_is_shown_beside_the_fields_and_nothing_is_written(
    manager_client, yuehai_station, zhang
):
    data = need_data(
        yuehai_station,
        zhang,
        region="440305005001",
        date_to="2000-01-01",
        window=["99"],
        description="",
        visit="12x",
    )
    response = manager_client.post("/matching/needs/new/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert {"window", "description", "visit"} <= set(form.errors)
    assert not Need.objects.exists()
    data = need_data(yuehai_station, zhang, region="440305005001", date_to="2000-01-01")
    response = manager_client.post("/matching/needs/new/", data)
    assert response.status_code == 400
    assert {"region", "date_to"} <= set(response.context["form"].errors)
    assert "errorlist" in response.content.decode()
    assert not Need.objects.exists()


def test_a_need_from_a_visit_is_prefilled(manager_client, yuehai_manager, yuehai_station, zhang):
    from wushe.casework.services import visit_record

    visit = visit_record(
        actor=yuehai_manager,
        resident=zhang,
        visited_on=timezone.localdate(),
        workers=[],
    )
    detail = manager_client.get(f"/casework/visits/{visit.pk}/").content.decode()
    assert f"/matching/needs/new/?visit={visit.pk}" in detail
    page = manager_client.get("/matching/needs/new/", {"visit": visit.pk})
    form = page.context["form"]
    assert form.initial["source"] == "visit" and form.initial["visit"] == visit.pk
    assert form.initial["station"] == yuehai_station
    assert "张秀英" in page.content.decode()
    data = need_data(yuehai_station, zhang, source="visit", visit=visit.pk)
    assert manager_client.post("/matching/needs/new/", data).status_code == 302
    assert Need.objects.get().visit == visit


def test_a_need_from_an_activity_is_prefilled(manager_client, yuehai_manager, yuehai_station):
    from wushe.groups.tests.sample import make_activity

    activity = make_activity(yuehai_manager, yuehai_station)
    detail = manager_client.get(f"/activities/{activity.pk}/").content.decode()
    assert f"/matching/needs/new/?activity={activity.pk}" in detail
    page = manager_client.get("/matching/needs/new/", {"activity": activity.pk})
    form = page.context["form"]
    assert form.initial["source"] == "activity" and form.initial["activity"] == activity.pk
    assert form.initial["station"] == yuehai_station


def test_residents_are_found_and_chosen_by_post(manager_client, zhang):
    found = manager_client.post("/matching/needs/residents/", {"resident_q": "张秀"})
    assert "张秀英" in found.content.decode()
    chosen = manager_client.post("/matching/needs/residents/choose/", {"choose": zhang.pk})
    assert f'value="{zhang.pk}"' in chosen.content.decode()
    nobody = manager_client.post("/matching/needs/residents/choose/", {"choose": "x" * 40})
    assert nobody.status_code == 200 and "张秀英" not in nobody.content.decode()


def test_a_need_is_edited_and_cancelled(manager_client, yuehai_manager, yuehai_station, zhang):
    need = make_need(yuehai_manager, yuehai_station, zhang)
    data = need_data(yuehai_station, zhang, description="改为每周三次")
    assert manager_client.post(f"/matching/needs/{need.pk}/edit/", data).status_code == 302
    assert Need.objects.get().description == "改为每周三次"
    assert manager_client.post(f"/matching/needs/{need.pk}/cancel/").status_code == 302
    assert Need.objects.get().status == NeedStatus.CANCELLED
    again = manager_client.post(f"/matching/needs/{need.pk}/cancel/")
    assert again.status_code == 400 and "已取消" in again.content.decode()


def test_the_list_filters_and_its_queries_do_not_grow_with_rows(
    manager_client, yuehai_manager, yuehai_station
):
    for index in range(3):
        make_need(
            yuehai_manager,
            yuehai_station,
            make_resident(yuehai_manager, f"居民{index}"),
        )
    with CaptureQueriesContext(connection) as few:
        manager_client.get("/matching/")
    for index in range(3, 9):
        make_need(
            yuehai_manager,
            yuehai_station,
            make_resident(yuehai_manager, f"居民{index}"),
        )
    with CaptureQueriesContext(connection) as many:
        manager_client.get("/matching/")
    assert len(many) == len(few)
    assert manager_client.get("/matching/", {"urgency": "9"}).status_code == 400
    assert manager_client.get("/matching/", {"station": "1" * 30}).status_code == 400
    assert manager_client.get("/matching/", {"q": "居民3"}).context["page"].paginator.count == 1


def test_matching_is_run_and_a_proposal_accepted_from_the_pages(
    manager_client, yuehai_manager, yuehai_station, zhang
):
    put_points()
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    make_volunteer(yuehai_manager, "赵远", SHENDA)
    make_need(yuehai_manager, yuehai_station, zhang)
    response = manager_client.post("/matching/runs/new/", {"station": yuehai_station.pk})
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response.url == f"/matching/runs/{run.pk}/"
    page = manager_client.get(response.url).content.decode()
    assert "王近" in page and "赵远" in page  # proposed, and next best
    assert "0.0" in page
    proposal = Proposal.objects.get()
    assert manager_client.post(f"/matching/proposals/{proposal.pk}/accept/").status_code == 302
    assert Task.objects.get().status == TaskStatus.OFFERED
    assert Proposal.objects.get().status == ProposalStatus.ACCEPTED


def test_a_county_administrator_runs_the_whole_county_from_the_page(
    client, manager_client, nanshan_admin, yuehai_manager, yuehai_station, zhang
):
    put_points()
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    make_need(yuehai_manager, yuehai_station, zhang)
    # A station manager sees no county to run, and must choose their station.
    assert "county" not in manager_client.get("/matching/runs/").context["form"].fields
    assert manager_client.post("/matching/runs/new/", {}).status_code == 400
    client.force_login(nanshan_admin)
    form = client.get("/matching/runs/").context["form"]
    assert [region.code for region in form.fields["county"].queryset] == ["440305000000"]
    both = client.post(
        "/matching/runs/new/", {"station": yuehai_station.pk, "county": "440305000000"}
    )
    assert both.status_code == 400 and "请选择一个社工站或一个区县。" in both.content.decode()
    assert client.post("/matching/runs/new/", {"county": "440304000000"}).status_code == 400
    assert not MatchRun.objects.exists()
    response = client.post("/matching/runs/new/", {"county": "440305000000"})
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response.url == f"/matching/runs/{run.pk}/"
    assert run.station is None and run.region_code == "440305000000" and run.met == 1


def test_a_hand_edit_that_breaks_a_constraint_is_refused_beside_the_field(
    manager_client, yuehai_manager, yuehai_station, zhang
):
    put_points()
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    lawyer = make_volunteer(yuehai_manager, "赵法律", KEJIYUAN, skills=("legal",))
    make_need(yuehai_manager, yuehai_station, zhang)
    manager_client.post("/matching/runs/new/", {"station": yuehai_station.pk})
    proposal = Proposal.objects.get()
    response = manager_client.post(
        f"/matching/proposals/{proposal.pk}/edit/", {"volunteer": lawyer.pk}
    )
    assert response.status_code == 400
    assert "助餐送餐" in str(response.context["form"].errors["volunteer"])
    assert Proposal.objects.get().volunteer.name == "王近"


def test_unmet_needs_are_listed_with_what_to_recruit(
    manager_client, yuehai_manager, yuehai_station, zhang
):
    put_points()
    make_need(yuehai_manager, yuehai_station, zhang, skills=("legal",))
    manager_client.post("/matching/runs/new/", {"station": yuehai_station.pk})
    page = manager_client.get(f"/matching/runs/{MatchRun.objects.get().pk}/").content.decode()
    assert "无人具备该技能" in page and "法律咨询" in page


def test_the_station_confirms_completion_and_the_hours_are_recorded(
    manager_client, yuehai_manager, yuehai_station, zhang
):
    from wushe.matching import task_services
    from wushe.volunteers.selectors import balance

    put_points()
    wang = make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    make_need(yuehai_manager, yuehai_station, zhang)
    manager_client.post("/matching/runs/new/", {"station": yuehai_station.pk})
    task = task_services.proposal_accept(
        actor=yuehai_manager,
        proposal=Proposal.objects.get(),
        today=timezone.localdate(),
    )
    answered = manager_client.post(f"/matching/tasks/{task.pk}/answer/", {"answer": "accept"})
    assert answered.status_code == 302
    bad = manager_client.post(
        f"/matching/tasks/{task.pk}/complete/",
        {"served_on": "2999-01-01", "hours": "30"},
    )
    assert bad.status_code == 400 and {"hours", "served_on"} <= set(bad.context["form"].errors)
    done = manager_client.post(
        f"/matching/tasks/{task.pk}/complete/",
        {"served_on": timezone.localdate().isoformat(), "hours": "2", "tier": "basic"},
    )
    assert done.status_code == 302
    assert Task.objects.get().status == TaskStatus.DONE
    assert balance(wang)[0] == 2


def test_projects_are_created_and_linked_to_needs(
    manager_client, yuehai_manager, yuehai_station, zhang
):
    need = make_need(yuehai_manager, yuehai_station, zhang)
    data = {
        "station": yuehai_station.pk,
        "name": "长者助餐计划",
        "service_area": "elderly",
        "target_group": "独居高龄老人",
        "period_from": "2026-01-01",
        "period_to": "2026-12-31",
        "capacity": "40",
        "status": "running",
        "description": "",
    }
    assert manager_client.post("/matching/projects/new/", data).status_code == 302
    project = ServiceProject.objects.get()
    linked = manager_client.post(f"/matching/projects/{project.pk}/needs/", {"needs": [need.pk]})
    assert linked.status_code == 302 and list(project.needs.all()) == [need]
    page = manager_client.get(f"/matching/projects/{project.pk}/").content.decode()
    assert "长者助餐计划" in page and "每天午餐送餐上门" in page
    backwards = manager_client.post("/matching/projects/new/", {**data, "period_to": "2025-01-01"})
    assert backwards.status_code == 400 and "period_to" in backwards.context["form"].errors
    assert ServiceProject.objects.count() == 1


def test_the_resources_list_shows_volunteers_offers_and_charity(
    manager_client, yuehai_manager, yuehai_station
):
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    organisation = make_organisation(yuehai_manager, "440305007000", 1, name="阳光社工服务中心")
    data = {
        "organisation": organisation.pk,
        "station": yuehai_station.pk,
        "service_areas": ["elderly", "disability"],
        "skills": [skill("medical_escort").pk],
        "capacity": "5",
        "radius_km": "8",
        "availability": ["0", "1"],
        "active": "on",
        "notes": "",
    }
    assert manager_client.post("/matching/offers/new/", data).status_code == 302
    offer = OrganisationOffer.objects.get()
    assert offer.service_areas == ["elderly", "disability"] and offer.availability == 0b11
    page = manager_client.get("/matching/resources/").content.decode()
    assert "王近" in page and "阳光社工服务中心" in page and "助医" in page
    assert "社区基金" in page
    bad = manager_client.post("/matching/offers/new/", {**data, "capacity": "-1"})
    assert bad.status_code == 400 and OrganisationOffer.objects.count() == 1


def test_an_auditor_reads_but_cannot_write_and_the_refusal_is_recorded(
    client, nanshan_auditor, yuehai_station, zhang
):
    client.force_login(nanshan_auditor)
    assert client.get("/matching/").status_code == 200
    assert client.get("/matching/needs/new/").status_code == 403
    assert client.post("/matching/runs/new/", {"station": yuehai_station.pk}).status_code == 403
    assert AuditEntry.objects.filter(actor=nanshan_auditor, success=False).count() == 2


def test_weekly_windows_read_as_days_and_parts():
    from wushe.matching.solver import ALL_WEEK, slot_bit
    from wushe.matching.templatetags.matching import window_text

    assert window_text(0) == "任何时间" and window_text(ALL_WEEK) == "全周"
    monday = slot_bit(0, 0) | slot_bit(0, 1) | slot_bit(0, 2)
    assert window_text(monday | slot_bit(2, 1)) == "周一全天、周三下午"


def test_a_runs_page_and_the_task_list_do_not_grow_in_queries(
    manager_client, yuehai_manager, yuehai_station
):
    from wushe.matching import task_services
    from wushe.matching.run_services import match_run

    put_points()

    def run_with(count: int) -> tuple[int, int]:
        for index in range(count):
            make_volunteer(yuehai_manager, f"志愿者{count}{index}", KEJIYUAN)
            resident = make_resident(yuehai_manager, f"居民{count}{index}")
            make_need(yuehai_manager, yuehai_station, resident)
        result = match_run(actor=yuehai_manager, station=yuehai_station, today=timezone.localdate())
        for proposal in result.proposals:
            task_services.proposal_accept(
                actor=yuehai_manager, proposal=proposal, today=timezone.localdate()
            )
        with CaptureQueriesContext(connection) as page:
            assert manager_client.get(f"/matching/runs/{result.run.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as tasks:
            assert manager_client.get("/matching/tasks/").status_code == 200
        return len(page), len(tasks)

    assert run_with(2) == run_with(5)
