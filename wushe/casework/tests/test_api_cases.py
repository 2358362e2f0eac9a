from datetime import timedelta

import pytest
from django.utils import timezone

from wushe.audit.models import Action, AuditEntry
from wushe.casework.case_services import case_advance, case_open
from wushe.casework.cases import Stage
from wushe.casework.models import Case, CaseRecord
from wushe.casework.tests.conftest import PROBLEM, days_ago
from wushe.core.tests.api_client import token_client
from wushe.people.tests.filing import file_li

pytestmark = pytest.mark.django_db

LIST = "/api/cases/"


def detail(case, tail: str = "") -> str:
    return f"{LIST}{case.pk}/{tail}"


def test_a_case_walks_from_intake_to_closing_through_the_api(yuehai_manager, zhang):
    api = token_client(yuehai_manager)
    opened = api.post(LIST, {"resident": zhang.pk, "problem": PROBLEM})
    assert opened.status_code == 201, opened.content
    case = Case.objects.get()
    assert opened.json()["stage"] == "intake" and opened.json()["next_stage"] == "assessment"
    assert opened.json()["opened_on"] == timezone.localdate().isoformat()
    assert opened.json()["worker"] == yuehai_manager.pk
    steps = [{"assessment": "需要照护"}, {"plan": "助餐"}, {}]
    for fields in steps:
        response = api.post(detail(case, "advance/"), fields)
        assert response.status_code == 200, response.content
    record = {"served_on": timezone.localdate().isoformat(), "minutes": 40, "method": "home"}
    created = api.post(detail(case, "records/"), {**record, "notes": "陪同复诊"})
    assert created.status_code == 201 and created.json()["notes"] == "陪同复诊"
    listed = api.get(detail(case, "records/")).json()
    assert listed["count"] == 1 and listed["results"][0]["minutes"] == 40
    assert api.post(detail(case, "advance/"), {"evaluation": "好转"}).status_code == 200
    closed = api.post(detail(case, "advance/"), {"closing_summary": "目标达成"})
    assert closed.status_code == 200
    body = closed.json()
    assert body["stage"] == "closed" and body["next_stage"] is None
    assert body["signed_off_by"] == yuehai_manager.pk and body["closing_summary"] == "目标达成"
    again = api.post(detail(case, "advance/"), {})
    assert again.status_code == 400 and "stage" in again.json()


def test_the_list_holds_no_case_notes_and_filters(
    nanshan_admin, yuehai_manager, served_case, django_assert_max_num_queries
):
    li = file_li(nanshan_admin)
    for _ in range(3):
        case_open(actor=nanshan_admin, resident=li, problem="就业困难")
    api = token_client(nanshan_admin)
    with django_assert_max_num_queries(8):
        response = api.get(LIST)
    assert response.status_code == 200 and response.json()["count"] == 4
    assert "no-store" in response["Cache-Control"]
    assert (
        PROBLEM not in response.content.decode() and "problem" not in response.json()["results"][0]
    )
    assert api.get(LIST, {"stage": "intervention"}).json()["count"] == 1
    assert api.get(LIST, {"worker": yuehai_manager.pk}).json()["count"] == 1
    assert api.get(LIST, {"region": "440305005"}).json()["count"] == 3
    assert api.get(LIST, {"stage": "nonsense"}).status_code == 400
    assert token_client(yuehai_manager).get(LIST).json()["count"] == 1


def test_opening_a_case_is_an_audited_view(yuehai_manager, nanshan_auditor, served_case):
    body = token_client(yuehai_manager).get(detail(served_case)).json()
    assert body["problem"] == PROBLEM and body["plan"] == "链接助餐与康复服务"
    assert AuditEntry.objects.filter(action=Action.VIEW, object_type="casework.case").count() == 1
    hidden = token_client(nanshan_auditor).get(detail(served_case)).json()
    assert hidden["problem"] is None and hidden["stage"] == "intervention"
    records = token_client(nanshan_auditor).get(detail(served_case, "records/")).json()
    assert records["results"][0]["notes"] is None


def test_bad_openings_get_field_messages(yuehai_manager, futian_admin, zhang):
    api = token_client(yuehai_manager)
    good = {"resident": zhang.pk, "problem": PROBLEM}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"problem": ""}, "problem"),
        ({"problem": "   "}, "problem"),
        ({"opened_on": tomorrow}, "opened_on"),
        ({"opened_on": "someday"}, "opened_on"),
        ({"worker": futian_admin.pk}, "worker"),
        ({"worker": 0}, "worker"),
        ({"resident": 2**64}, "resident"),
    ]
    for change, field in cases:
        response = api.post(LIST, {**good, **change})
        assert response.status_code == 400, change
        assert field in response.json(), (change, response.json())
    assert not Case.objects.exists()


def test_bad_advances_and_records_change_nothing(yuehai_manager, yuehai_worker, served_case):
    api = token_client(yuehai_manager)
    response = api.post(detail(served_case, "advance/"), {"evaluation": ""})
    assert response.status_code == 400 and "evaluation" in response.json()
    early = api.post(
        detail(served_case, "advance/"), {"evaluation": "x", "closed_on": "2026-01-01"}
    )
    assert early.status_code == 400 and "closed_on" in early.json()
    for record, field in [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 100000}, "minutes"),
        ({"method": "telepathy"}, "method"),
        ({"served_on": (served_case.opened_on - timedelta(days=1)).isoformat()}, "served_on"),
        ({"served_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "served_on"),
    ]:
        data = {"served_on": days_ago(1).isoformat(), "minutes": 30, "method": "phone", **record}
        response = api.post(detail(served_case, "records/"), data)
        assert response.status_code == 400 and field in response.json(), record
    stale = api.post(detail(served_case, "advance/"), {"from_stage": "planning"})
    assert stale.status_code == 400 and "from_stage" in stale.json()
    served_case.refresh_from_db()
    assert served_case.stage == Stage.INTERVENTION and served_case.evaluation == ""
    assert CaseRecord.objects.count() == 1


def test_closing_needs_a_supervisor_and_auditors_write_nothing(
    yuehai_manager, yuehai_worker, nanshan_auditor, served_case
):
    case_advance(actor=yuehai_manager, case=served_case, evaluation="好转")
    worker = token_client(yuehai_worker)
    assert worker.post(detail(served_case, "advance/"), {"closing_summary": "x"}).status_code == 403
    auditor = token_client(nanshan_auditor)
    assert (
        auditor.post(detail(served_case, "advance/"), {"closing_summary": "x"}).status_code == 403
    )
    data = {"served_on": days_ago(1).isoformat(), "minutes": 5, "method": "phone"}
    assert auditor.post(detail(served_case, "records/"), data).status_code == 403
    opening = {"resident": served_case.resident.pk, "problem": "x"}
    assert auditor.post(LIST, opening).status_code == 403
    served_case.refresh_from_db()
    assert served_case.stage == Stage.EVALUATION and Case.objects.count() == 1
    assert CaseRecord.objects.count() == 1
