from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wushe.audit.models import Action, AuditEntry
from wushe.casework.case_services import case_advance, case_open
from wushe.casework.cases import Stage
from wushe.casework.models import Case, CaseRecord
from wushe.casework.services import visit_record
from wushe.casework.tests.conftest import PROBLEM, days_ago, walk_to_intervention
from wushe.people.tests.filing import assert_no_secrets, file_li
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db

LIST = reverse("casework:case_list")


def detail(case) -> str:
    return reverse("casework:case_detail", args=[case.pk])


def advance(client, case, **fields):
    return client.post(reverse("casework:case_advance", args=[case.pk]), fields)


def record(client, case, **fields):
    data = {"served_on": days_ago(1).isoformat(), "minutes": "30", "method": "phone", **fields}
    return client.post(reverse("casework:case_record_create", args=[case.pk]), data)


def test_a_case_walks_from_intake_to_closing_through_the_pages(client, yuehai_manager, zhang):
    client.force_login(yuehai_manager)
    opened = client.post(
        reverse("casework:case_create", args=[zhang.pk]),
        {"problem": PROBLEM, "opened_on": days_ago(10).isoformat(), "worker": yuehai_manager.pk},
    )
    case = Case.objects.get()
    assert opened.status_code == 302 and opened["Location"] == detail(case)
    page = client.get(detail(case))
    body = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert PROBLEM in body and 'aria-current="step"' in body
    assert page.context["target"] == Stage.ASSESSMENT
    refer = reverse("referrals:referral_create") + f"?case={case.pk}"
    assert f'href="{refer}"' in body  # an open case can be referred from its page
    assert [f.name for f in page.context["advance_form"].visible_fields()] == ["assessment"]
    steps = [
        {"assessment": "需要照护安排"},
        {"plan": "链接助餐与康复服务"},
        {},
    ]
    for fields in steps:
        assert advance(client, case, **fields).status_code == 302
    assert record(client, case, notes="陪同复诊").status_code == 302
    assert advance(client, case, evaluation="生活基本自理").status_code == 302
    page = client.get(detail(case))
    fields = [f.name for f in page.context["advance_form"].visible_fields()]
    assert fields == ["closing_summary", "closed_on"]
    assert advance(client, case, closing_summary="目标达成").status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.signed_off_by == yuehai_manager
    assert case.closed_on == timezone.localdate()
    page = client.get(detail(case))
    assert page.context["advance_form"] is None and page.context["record_form"] is None
    assert [step["state"] for step in page.context["path"]] == ["done"] * 5 + ["current"]
    month = timezone.localdate().replace(day=1)
    closed = Tally.objects.get(region_code=zhang.region_id, metric="cases_closed", month=month)
    assert closed.value == 1


def test_a_missing_stage_field_is_shown_beside_it_and_the_stage_stays(client, yuehai_manager, case):
    client.force_login(yuehai_manager)
    response = advance(client, case, assessment="   ")
    assert response.status_code == 400
    assert response.context["advance_form"].errors["assessment"]
    assert 'id="id_assessment_error"' in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE and case.assessment == ""


def test_a_second_click_does_not_move_the_case_twice(client, yuehai_manager, case):
    client.force_login(yuehai_manager)
    form = client.get(detail(case)).context["advance_form"]
    assert form["from_stage"].value() == "intake"
    posted = {"from_stage": "intake", "assessment": "需要照护安排"}
    assert advance(client, case, **posted).status_code == 302
    case.refresh_from_db()
    case_advance(actor=yuehai_manager, case=case, plan="链接助餐")  # now at 计划
    again = advance(client, case, **posted)  # the same form sent again
    assert again.status_code == 400 and again.context["advance_form"].non_field_errors()
    case.refresh_from_db()
    assert case.stage == Stage.PLANNING


def test_evaluation_without_a_service_record_says_so(client, yuehai_manager, case):
    walk_to_intervention(yuehai_manager, case)
    client.force_login(yuehai_manager)
    response = advance(client, case, evaluation="好转")
    assert response.status_code == 400
    assert response.context["advance_form"].non_field_errors()
    case.refresh_from_db()
    assert case.stage == Stage.INTERVENTION and case.evaluation == ""


def test_a_worker_cannot_close_a_case_a_supervisor_signs_off(
    client, yuehai_manager, yuehai_worker, served_case
):
    case_advance(actor=yuehai_manager, case=served_case, evaluation="好转")
    client.force_login(yuehai_worker)
    page = client.get(detail(served_case))
    assert page.context["advance_form"] is None and page.context["needs_supervisor"]
    assert advance(client, served_case, closing_summary="结案").status_code == 403
    served_case.refresh_from_db()
    assert served_case.stage == Stage.EVALUATION and served_case.closing_summary == ""
    assert AuditEntry.objects.filter(success=False, object_type="casework.case").exists()


def test_a_closing_date_before_the_opening_is_refused(client, yuehai_manager, served_case):
    case_advance(actor=yuehai_manager, case=served_case, evaluation="好转")
    client.force_login(yuehai_manager)
    early = (served_case.opened_on - timedelta(days=1)).isoformat()
    response = advance(client, served_case, closing_summary="结案", closed_on=early)
    assert response.status_code == 400 and response.context["advance_form"].errors["closed_on"]
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = advance(client, served_case, closing_summary="结案", closed_on=future)
    assert response.status_code == 400 and response.context["advance_form"].errors["closed_on"]
    served_case.refresh_from_db()
    assert served_case.stage == Stage.EVALUATION and served_case.signed_off_by is None
    assert not Tally.objects.filter(metric="cases_closed").exists()


def test_bad_service_records_get_field_errors_and_nothing_is_written(client, yuehai_manager, case):
    client.force_login(yuehai_manager)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    before_opening = (case.opened_on - timedelta(days=1)).isoformat()
    cases = [
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "1441"}, "minutes"),
        ({"minutes": "99999999999999999999"}, "minutes"),
        ({"minutes": "abc"}, "minutes"),
        ({"method": "telepathy"}, "method"),
        ({"served_on": tomorrow}, "served_on"),
        ({"served_on": before_opening}, "served_on"),
        ({"served_on": "2026-13-01"}, "served_on"),
        ({"notes": "x" * 5001}, "notes"),
    ]
    for fields, field in cases:
        response = record(client, case, **fields)
        assert response.status_code == 400, fields
        assert response.context["record_form"].errors[field], fields
    assert not CaseRecord.objects.exists()
    assert not Tally.objects.filter(metric="case_records").exists()


def test_a_closed_case_takes_no_more_records(client, yuehai_manager, served_case):
    case_advance(actor=yuehai_manager, case=served_case, evaluation="好转")
    case_advance(actor=yuehai_manager, case=served_case, closing_summary="结案")
    client.force_login(yuehai_manager)
    response = record(client, served_case)
    assert response.status_code == 400
    assert response.context["record_form"].non_field_errors()
    assert served_case.records.count() == 1


def test_bad_case_openings_get_field_errors(client, yuehai_manager, futian_admin, zhang):
    client.force_login(yuehai_manager)
    url = reverse("casework:case_create", args=[zhang.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"problem": "", "opened_on": days_ago(1).isoformat()}, "problem"),
        ({"problem": "x", "opened_on": tomorrow}, "opened_on"),
        (
            {"problem": "x", "opened_on": days_ago(1).isoformat(), "worker": futian_admin.pk},
            "worker",
        ),
        ({"problem": "x", "opened_on": days_ago(1).isoformat(), "worker": "1" * 30}, "worker"),
    ]
    for data, field in cases:
        data.setdefault("worker", yuehai_manager.pk)
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert response.context["form"].errors[field], data
    assert not Case.objects.exists()


def test_the_detail_is_an_audited_view_and_an_auditor_reads_no_notes(
    client, nanshan_auditor, served_case
):
    client.force_login(nanshan_auditor)
    response = client.get(detail(served_case))
    body = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM not in body and "陪同复诊" not in body
    assert response.context["advance_form"] is None and response.context["record_form"] is None
    assert_no_secrets(body)
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_type="casework.case", actor=nanshan_auditor
    ).exists()
    assert advance(client, served_case, evaluation="x").status_code == 403
    assert record(client, served_case).status_code == 403
    assert served_case.records.count() == 1


def test_the_list_filters_by_stage_worker_and_region(
    client, nanshan_admin, yuehai_manager, served_case
):
    li = file_li(nanshan_admin)
    case_open(actor=nanshan_admin, resident=li, problem="就业困难", opened_on=days_ago(5))
    client.force_login(nanshan_admin)

    def shown(**query) -> set[str]:
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {case.resident.name for case in response.context["page"]}

    assert shown() == {"张三丰", "李四娘"}
    assert shown(stage="intervention") == {"张三丰"}
    assert shown(stage="intake") == {"李四娘"}
    assert shown(worker=yuehai_manager.pk) == {"张三丰"}
    assert shown(region="440305005") == {"李四娘"}
    assert client.get(LIST, {"stage": "nonsense"}).status_code == 400
    body = client.get(LIST).content.decode()
    assert PROBLEM not in body and "就业困难" not in body


def test_the_lists_cost_the_same_queries_for_one_row_or_many(
    client, nanshan_admin, yuehai_manager, served_case
):
    client.force_login(nanshan_admin)
    visit_record(actor=yuehai_manager, resident=served_case.resident, visited_on=days_ago(1))
    resident_page = reverse("people:resident_detail", args=[served_case.resident.pk])
    pages = [LIST, reverse("casework:visit_list"), resident_page]

    def costs() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = costs()
    li = file_li(nanshan_admin)
    for day in range(6):
        case_open(actor=nanshan_admin, resident=served_case.resident, problem="p")
        visit_record(actor=nanshan_admin, resident=served_case.resident, visited_on=days_ago(day))
        visit_record(actor=nanshan_admin, resident=li, visited_on=days_ago(day))
    assert costs() == before
