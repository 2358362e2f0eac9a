import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import SHEKOU
from wushe.audit.models import Action, AuditEntry
from wushe.casework.models import HomeVisit
from wushe.casework.services import visit_record
from wushe.casework.tests.conftest import FINDINGS, days_ago
from wushe.people.tests.filing import SECRETS, assert_no_secrets, file_li
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db

LIST = reverse("casework:visit_list")


def tally(code: str, day, metric: str) -> int:
    row = Tally.objects.filter(region_code=code, month=day.replace(day=1), metric=metric).first()
    return row.value if row else 0


def test_the_list_shows_visits_of_the_subtree_without_findings(client, nanshan_admin, visit):
    li = file_li(nanshan_admin)
    visit_record(actor=nanshan_admin, resident=li, visited_on=days_ago(40))
    client.force_login(visit.recorded_by)
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "张三丰" in body and "李四娘" not in body  # 李四娘 lives in 蛇口
    assert FINDINGS not in body
    assert reverse("casework:visit_detail", args=[visit.pk]) in body


def test_the_list_filters_by_region_dates_and_worker(client, nanshan_admin, yuehai_worker, visit):
    li = file_li(nanshan_admin)
    visit_record(actor=nanshan_admin, resident=li, visited_on=days_ago(40), workers=[nanshan_admin])
    client.force_login(nanshan_admin)

    def shown(**query) -> set[str]:
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {v.resident.name for v in response.context["page"]}

    assert shown() == {"张三丰", "李四娘"}
    assert shown(region="440305005") == {"李四娘"}
    assert shown(region="440305007003") == {"张三丰"}
    assert shown(visited_after=days_ago(10).isoformat()) == {"张三丰"}
    assert shown(visited_before=days_ago(10).isoformat()) == {"李四娘"}
    assert shown(worker=nanshan_admin.pk) == {"李四娘"}
    assert shown(worker=visit.recorded_by.pk) == {"张三丰"}
    assert shown(region="999999") == set()


def test_bad_filters_are_a_400_with_the_reason_not_a_500(client, nanshan_admin, visit):
    client.force_login(nanshan_admin)
    for query in (
        {"visited_after": "yesterday"},
        {"worker": "99999999999999999999999"},
        {"worker": "abc"},
    ):
        response = client.get(LIST, query)
        assert response.status_code == 400, query
        assert 'class="errorlist"' in response.content.decode()
        assert not response.context["page"].object_list


def test_a_visit_is_recorded_for_a_resident_and_counted(client, yuehai_worker, zhang):
    client.force_login(yuehai_worker)
    url = reverse("casework:visit_create", args=[zhang.pk])
    form = client.get(url)
    assert form.status_code == 200 and "张三丰" in form.content.decode()
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "visited_on": today.isoformat(),
            "workers": [yuehai_worker.pk],
            "findings": FINDINGS,
            "needs_found": "助餐",
            "next_visit_on": (today + timedelta(days=30)).isoformat(),
        },
    )
    visit = HomeVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:visit_detail", args=[visit.pk])
    assert visit.findings == FINDINGS and list(visit.workers.all()) == [yuehai_worker]
    assert tally(zhang.region_id, today, "visits") == 1
    assert tally("440305000000", today, "person_times") == 1
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="casework.homevisit")
    assert FINDINGS not in repr(entry.changes)


def test_bad_visit_input_is_shown_beside_the_fields_and_nothing_is_written(
    client, yuehai_worker, futian_admin, zhang
):
    client.force_login(yuehai_worker)
    url = reverse("casework:visit_create", args=[zhang.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    cases = [
        ({"visited_on": tomorrow.isoformat(), "workers": [yuehai_worker.pk]}, "visited_on"),
        ({"visited_on": "2026-02-30", "workers": [yuehai_worker.pk]}, "visited_on"),
        ({"visited_on": days_ago(1).isoformat(), "workers": []}, "workers"),
        ({"visited_on": days_ago(1).isoformat(), "workers": [futian_admin.pk]}, "workers"),
        ({"visited_on": days_ago(1).isoformat(), "workers": ["9" * 30]}, "workers"),
        (
            {
                "visited_on": days_ago(1).isoformat(),
                "workers": [yuehai_worker.pk],
                "next_visit_on": days_ago(2).isoformat(),
            },
            "next_visit_on",
        ),
        (
            {
                "visited_on": days_ago(1).isoformat(),
                "workers": [yuehai_worker.pk],
                "findings": "x" * 5001,
            },
            "findings",
        ),
    ]
    for data, field in cases:
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert response.context["form"].errors.get(field), (data, response.context["form"].errors)
        assert f'id="id_{field}_error"' in response.content.decode()
    assert not HomeVisit.objects.exists()
    assert not Tally.objects.filter(metric="visits").exists()


def test_the_detail_is_an_audited_view_with_no_store(client, yuehai_manager, visit):
    client.force_login(yuehai_manager)
    response = client.get(reverse("casework:visit_detail", args=[visit.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert FINDINGS in body and "助餐送餐" in body and "科技园社区" in body
    assert_no_secrets(body)
    views = AuditEntry.objects.filter(
        action=Action.VIEW, object_type="casework.homevisit", object_id=str(visit.pk)
    )
    assert views.count() == 1 and views.get().actor == yuehai_manager


def test_an_auditor_sees_that_findings_exist_but_not_what_they_say(client, nanshan_auditor, visit):
    client.force_login(nanshan_auditor)
    body = client.get(reverse("casework:visit_detail", args=[visit.pk])).content.decode()
    assert FINDINGS not in body and "助餐送餐" not in body
    assert reverse("casework:visit_edit", args=[visit.pk]) not in body
    for name in ("visit_edit", "visit_delete"):
        assert client.get(reverse(f"casework:{name}", args=[visit.pk])).status_code == 403
    url = reverse("casework:visit_create", args=[visit.resident.pk])
    assert client.post(url, {"visited_on": days_ago(1).isoformat()}).status_code == 403
    assert HomeVisit.objects.count() == 1


def test_a_visit_is_corrected_and_its_tallies_move_with_its_date(client, yuehai_manager, visit):
    client.force_login(yuehai_manager)
    old_day = visit.visited_on
    new_day = old_day - timedelta(days=62)  # certainly another month
    url = reverse("casework:visit_edit", args=[visit.pk])
    assert FINDINGS in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "visited_on": new_day.isoformat(),
            "workers": [yuehai_manager.pk],
            "findings": "已好转",
            "needs_found": "助餐送餐",
            "next_visit_on": visit.next_visit_on.isoformat(),
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.visited_on == new_day and visit.findings == "已好转"
    assert tally(visit.region_code, old_day, "visits") == 0
    assert tally(visit.region_code, new_day, "visits") == 1
    entry = AuditEntry.objects.filter(action=Action.UPDATE).latest("seq")
    assert entry.changes["visited_on"] == [old_day.isoformat(), new_day.isoformat()]
    assert entry.changes["findings"] == ["***", "***"]  # that it changed, not what it says
    assert "needs_found" not in entry.changes and "已好转" not in repr(entry.changes)


def test_a_bad_correction_changes_nothing(client, yuehai_manager, visit):
    client.force_login(yuehai_manager)
    url = reverse("casework:visit_edit", args=[visit.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url, {"visited_on": tomorrow.isoformat(), "workers": [yuehai_manager.pk], "findings": "x"}
    )
    assert response.status_code == 400 and response.context["form"].errors["visited_on"]
    visit.refresh_from_db()
    assert visit.visited_on == days_ago(3) and visit.findings == FINDINGS


def test_deleting_asks_first_and_is_for_the_recorder_or_a_supervisor(
    client, yuehai_manager, yuehai_worker, visit
):
    url = reverse("casework:visit_delete", args=[visit.pk])
    client.force_login(yuehai_worker)  # neither the recorder nor a supervisor
    assert client.post(url).status_code == 403
    client.force_login(yuehai_manager)
    assert "张三丰" in client.get(url).content.decode()
    assert HomeVisit.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not HomeVisit.objects.exists()
    assert tally(visit.region_code, visit.visited_on, "visits") == 0
    assert AuditEntry.objects.filter(action=Action.DELETE, object_id=str(visit.pk)).exists()


def test_a_worker_deletes_a_visit_they_recorded(client, yuehai_worker, zhang):
    visit = visit_record(actor=yuehai_worker, resident=zhang, visited_on=days_ago(1))
    client.force_login(yuehai_worker)
    assert client.post(reverse("casework:visit_delete", args=[visit.pk])).status_code == 302
    assert not HomeVisit.objects.exists()


def test_the_residents_page_lists_visits_and_cases_with_links(client, yuehai_manager, visit, case):
    client.force_login(yuehai_manager)
    body = client.get(reverse("people:resident_detail", args=[visit.resident.pk])).content.decode()
    assert reverse("casework:visit_create", args=[visit.resident.pk]) in body
    assert reverse("casework:case_create", args=[visit.resident.pk]) in body
    assert reverse("casework:visit_detail", args=[visit.pk]) in body
    assert reverse("casework:case_detail", args=[case.pk]) in body
    assert FINDINGS not in body


def test_a_station_of_another_street_cannot_record_a_visit_for_the_resident(
    client, shekou_worker, zhang
):
    assert shekou_worker.region_id == SHEKOU
    client.force_login(shekou_worker)
    url = reverse("casework:visit_create", args=[zhang.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"visited_on": days_ago(1).isoformat()}).status_code == 404


def test_the_visit_export_is_the_filtered_list_masked_and_audited(
    client, nanshan_admin, yuehai_manager, visit
):
    li = file_li(nanshan_admin)
    visit_record(actor=nanshan_admin, resident=li, visited_on=days_ago(40))
    export = reverse("casework:visit_export")
    client.force_login(nanshan_admin)
    response = client.get(export)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sorted(row[1] for row in values[1:]) == ["张三丰", "李四娘"]
    flat = repr(values)
    assert FINDINGS not in flat and not any(secret in flat for secret in SECRETS)

    filtered = client.get(export, {"region": SHEKOU})
    rows = list(openpyxl.load_workbook(io.BytesIO(filtered.content)).active.iter_rows())
    assert [row[1].value for row in rows[1:]] == ["李四娘"]
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_type="casework.homevisit")
    assert [e.changes["rows"] for e in entry.order_by("seq")] == [2, 1]
    assert entry.order_by("seq").last().changes["filters"] == {"region": SHEKOU}

    # The station's manager exports only what the station sees; a bad filter is a 400 page.
    client.force_login(yuehai_manager)
    own = client.get(export)
    names = [
        row[1].value for row in openpyxl.load_workbook(io.BytesIO(own.content)).active.iter_rows()
    ]
    assert names[1:] == ["张三丰"]
    assert client.get(export, {"visited_after": "not a date"}).status_code == 400
