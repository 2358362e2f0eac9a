from datetime import timedelta

import pytest
from django.utils import timezone

from wushe.audit.models import Action, AuditEntry
from wushe.casework.models import HomeVisit
from wushe.casework.services import visit_record
from wushe.casework.tests.conftest import FINDINGS, days_ago
from wushe.core.tests.api_client import token_client
from wushe.people.tests.filing import file_li
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db

LIST = "/api/visits/"


def detail(visit) -> str:
    return f"{LIST}{visit.pk}/"


def visits_tally(visit_or_code, day) -> int:
    code = getattr(visit_or_code, "region_code", visit_or_code)
    row = Tally.objects.filter(region_code=code, month=day.replace(day=1), metric="visits").first()
    return row.value if row else 0


def test_the_list_holds_visits_of_the_subtree_without_findings(
    nanshan_admin, yuehai_manager, visit, django_assert_max_num_queries
):
    li = file_li(nanshan_admin)
    for days in range(5):
        visit_record(actor=nanshan_admin, resident=li, visited_on=days_ago(days))
    api = token_client(yuehai_manager)
    with django_assert_max_num_queries(8):  # no query per row
        response = api.get(LIST)
    body = response.json()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert body["count"] == 1 and body["results"][0]["resident_name"] == "张三丰"
    assert body["results"][0]["workers"] == [yuehai_manager.pk]
    assert "findings" not in body["results"][0] and FINDINGS not in response.content.decode()
    admin = token_client(nanshan_admin)
    with django_assert_max_num_queries(8):
        assert admin.get(LIST).json()["count"] == 6
    assert admin.get(LIST, {"region": "440305005"}).json()["count"] == 5
    after = days_ago(1).isoformat()
    assert admin.get(LIST, {"visited_after": after}).json()["count"] == 2
    assert admin.get(LIST, {"worker": yuehai_manager.pk}).json()["count"] == 1


def test_bad_filters_are_a_400(nanshan_admin):
    api = token_client(nanshan_admin)
    for query in ({"visited_after": "x"}, {"worker": "9" * 30}, {"worker": "-1"}):
        response = api.get(LIST, query)
        assert response.status_code == 400, query


def test_opening_a_visit_is_an_audited_view_with_its_findings(yuehai_manager, visit):
    response = token_client(yuehai_manager).get(detail(visit))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response.json()["findings"] == FINDINGS
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_type="casework.homevisit", object_id=str(visit.pk)
    ).exists()


def test_an_auditor_gets_null_findings_and_cannot_write(nanshan_auditor, visit):
    api = token_client(nanshan_auditor)
    body = api.get(detail(visit)).json()
    assert body["findings"] is None and body["needs_found"] is None
    assert api.patch(detail(visit), {"findings": "x"}).status_code == 403
    assert api.delete(detail(visit)).status_code == 403
    new = {"resident": visit.resident.pk, "visited_on": days_ago(1).isoformat()}
    assert api.post(LIST, new).status_code == 403
    assert HomeVisit.objects.count() == 1


def test_a_visit_is_recorded_and_counted(yuehai_worker, zhang):
    today = timezone.localdate()
    response = token_client(yuehai_worker).post(
        LIST,
        {
            "resident": zhang.pk,
            "visited_on": today.isoformat(),
            "findings": FINDINGS,
            "next_visit_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["workers"] == [yuehai_worker.pk] and body["findings"] == FINDINGS
    assert visits_tally(zhang.region_id, today) == 1


def test_bad_visits_get_field_messages_and_nothing_is_written(yuehai_worker, futian_admin, zhang):
    api = token_client(yuehai_worker)
    good = {"resident": zhang.pk, "visited_on": days_ago(1).isoformat()}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    cases = [
        ({"visited_on": tomorrow}, "visited_on"),
        ({"visited_on": "2026-02-30"}, "visited_on"),
        ({"next_visit_on": days_ago(5).isoformat()}, "next_visit_on"),
        ({"workers": [futian_admin.pk]}, "workers"),
        ({"workers": [2**70]}, "workers"),
        ({"workers": "me"}, "workers"),
        ({"resident": 2**70}, "resident"),
        ({"resident": "张三丰"}, "resident"),
        ({"findings": "x" * 5001}, "findings"),
    ]
    for change, field in cases:
        response = api.post(LIST, {**good, **change})
        assert response.status_code == 400, change
        assert field in response.json(), (change, response.json())
    assert api.post(LIST, {"visited_on": "2026-01-01"}).status_code == 400
    assert api.post(LIST, "[]", content_type="application/json").status_code == 400
    assert not HomeVisit.objects.exists()


def test_a_visit_is_corrected_with_patch_and_its_tally_moves(yuehai_manager, yuehai_worker, visit):
    old_day = visit.visited_on
    new_day = old_day - timedelta(days=62)
    api = token_client(yuehai_manager)
    response = api.patch(
        detail(visit),
        {"visited_on": new_day.isoformat(), "workers": [yuehai_manager.pk, yuehai_worker.pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["visited_on"] == new_day.isoformat()
    assert sorted(response.json()["workers"]) == sorted([yuehai_manager.pk, yuehai_worker.pk])
    assert response.json()["findings"] == FINDINGS  # untouched
    assert visits_tally(visit, old_day) == 0 and visits_tally(visit, new_day) == 1
    bad = api.patch(detail(visit), {"next_visit_on": (new_day - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "next_visit_on" in bad.json()
    assert api.patch(detail(visit), {"workers": []}).status_code == 400
    visit.refresh_from_db()
    assert visit.visited_on == new_day and visit.workers.count() == 2
    assert api.put(detail(visit), {"visited_on": new_day.isoformat()}).status_code == 405


def test_a_visit_is_deleted_by_its_recorder_or_a_supervisor(yuehai_manager, yuehai_worker, visit):
    assert token_client(yuehai_worker).delete(detail(visit)).status_code == 403
    response = token_client(yuehai_manager).delete(detail(visit))
    assert response.status_code == 204
    assert not HomeVisit.objects.exists()
    assert visits_tally(visit, visit.visited_on) == 0
    assert token_client(yuehai_manager).get(detail(visit)).status_code == 404
