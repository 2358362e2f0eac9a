import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from conftest import FUTIAN_TOWNSHIP, NANSHAN, SHEKOU, YUEHAI, make_site
from wushe.audit.models import Action, AuditEntry
from wushe.casework.models import VisitFrequency
from wushe.casework.services import frequency_set, visit_record
from wushe.people.choices import Category
from wushe.people.models import Resident
from wushe.people.tests.filing import SECRETS, file_li, file_zhang
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

OVERDUE = reverse("casework:overdue_list")
EXPORT = reverse("casework:overdue_export")
RULES = reverse("casework:frequency_list")
SET = reverse("casework:frequency_set")


def filed_long_ago(resident: Resident, days: int) -> Resident:
    """As if filed ``days`` ago (the overdue list counts from the filing when never visited)."""
    Resident.objects.filter(pk=resident.pk).update(
        created_at=resident.created_at - timedelta(days=days)
    )
    resident.refresh_from_db()
    return resident


def test_the_overdue_list_shows_category_last_visit_and_days_overdue(
    client, yuehai_manager, nanshan_admin
):
    zhang = filed_long_ago(file_zhang(yuehai_manager), 200)  # 低保: every 90 days
    li = filed_long_ago(file_li(nanshan_admin, categories=[Category.EXTREME_POVERTY]), 200)
    visited = zhang.created_at.date() + timedelta(days=50)
    visit_record(actor=yuehai_manager, resident=zhang, visited_on=visited)
    client.force_login(yuehai_manager)
    response = client.get(OVERDUE)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = list(response.context["page"])
    assert [row.resident for row in rows] == [zhang]  # 李四娘 is 蛇口's
    assert rows[0].last_visit == visited and rows[0].interval_days == 90
    body = response.content.decode()
    assert "低保" in body and str(rows[0].overdue_by) in body
    assert reverse("casework:visit_create", args=[zhang.pk]) in body
    client.force_login(nanshan_admin)
    names = {row.resident.name for row in client.get(OVERDUE).context["page"]}
    assert names == {"张三丰", "李四娘"}
    shekou = client.get(OVERDUE, {"region": SHEKOU[:9]}).context["page"]
    assert [row.resident for row in shekou] == [li] and shekou[0].last_visit is None


def test_the_overdue_list_of_a_station(client, nanshan_admin, yuehai_manager):
    filed_long_ago(file_zhang(yuehai_manager), 200)
    filed_long_ago(file_li(nanshan_admin, categories=[Category.EXTREME_POVERTY]), 200)
    yuehai = make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站")
    futian = make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站")
    client.force_login(nanshan_admin)
    page = client.get(OVERDUE, {"station": yuehai.pk})
    assert [row.resident.name for row in page.context["page"]] == ["张三丰"]
    assert page.context["region"].code == YUEHAI
    assert "园岭街道社工站" not in page.content.decode()  # not among the stations offered
    for station in (futian.pk, "9" * 30, "x"):
        response = client.get(OVERDUE, {"station": station})
        assert response.status_code == 400 and response.context["form"].errors["station"]


def test_the_overdue_list_refuses_a_region_outside(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.get(OVERDUE, {"region": SHEKOU})
    assert response.status_code == 400 and response.context["form"].errors["region"]
    assert client.get(OVERDUE, {"region": "12x"}).status_code == 400


def test_the_overdue_export_is_the_list_masked_and_audited(client, yuehai_manager):
    filed_long_ago(file_zhang(yuehai_manager), 200)
    client.force_login(yuehai_manager)
    response = client.get(EXPORT, {"region": YUEHAI[:9]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and values[1][0] == "张三丰"
    flat = repr(values)
    assert not any(secret in flat for secret in SECRETS)
    entry = AuditEntry.objects.get(action=Action.EXPORT, object_type="casework.overdue")
    assert entry.changes["rows"] == 1
    assert client.get(EXPORT, {"region": SHEKOU}).status_code == 400


def test_the_rules_page_shows_own_inherited_and_default_rules(
    client, yuehai_manager, nanshan_admin
):
    frequency_set(
        actor=nanshan_admin,
        region=Region.objects.get(code=NANSHAN),
        category=Category.SUBSISTENCE,
        interval_days=60,
    )
    frequency_set(
        actor=yuehai_manager,
        region=Region.objects.get(code=YUEHAI),
        category=Category.ORPHAN,
        interval_days=14,
    )
    client.force_login(yuehai_manager)
    response = client.get(RULES)
    assert response.status_code == 200
    lines = {line.category: line for line in response.context["rules"]}
    assert lines[Category.SUBSISTENCE].interval_days == 60
    assert lines[Category.SUBSISTENCE].source == NANSHAN
    assert lines[Category.SUBSISTENCE].source_region is None  # above the manager's own region
    assert lines[Category.ORPHAN].own is not None and lines[Category.ORPHAN].interval_days == 14
    assert (
        lines[Category.EXTREME_POVERTY].is_default and lines[Category.OTHER].interval_days is None
    )
    body = response.content.decode()
    assert "南山区" not in body.split("<main>")[1]
    assert response.context["rule_form"] is not None
    client.force_login(nanshan_admin)
    page = client.get(RULES, {"region": YUEHAI[:9]})
    lines = {line.category: line for line in page.context["rules"]}
    assert lines[Category.SUBSISTENCE].source_region.name == "南山区"


def test_a_manager_sets_and_removes_a_rule_for_the_station(client, yuehai_manager):
    client.force_login(yuehai_manager)
    data = {"region": YUEHAI[:9], "category": Category.SUBSISTENCE, "interval_days": "30"}
    response = client.post(SET, data)
    assert response.status_code == 302 and "region=440305007" in response["Location"]
    rule = VisitFrequency.objects.get()
    assert rule.region_id == YUEHAI and rule.interval_days == 30
    assert client.post(SET, {**data, "interval_days": "45"}).status_code == 302
    rule.refresh_from_db()
    assert rule.interval_days == 45 and VisitFrequency.objects.count() == 1
    delete = reverse("casework:frequency_delete", args=[rule.pk])
    assert client.post(delete).status_code == 302
    assert not VisitFrequency.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="casework.visitfrequency")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [Action.CREATE, Action.UPDATE, Action.DELETE]


def test_bad_rules_get_field_errors_and_nothing_is_written(client, yuehai_manager):
    client.force_login(yuehai_manager)
    good = {"region": YUEHAI[:9], "category": Category.SUBSISTENCE, "interval_days": "30"}
    cases = [
        ({"interval_days": "0"}, "interval_days"),
        ({"interval_days": "40000"}, "interval_days"),
        ({"interval_days": "soon"}, "interval_days"),
        ({"category": "aliens"}, "category"),
        ({"region": SHEKOU}, "region"),
        ({"region": "4403050"}, "region"),
    ]
    for change, field in cases:
        response = client.post(SET, {**good, **change})
        assert response.status_code == 400, change
        assert response.context["rule_form"].errors[field], change
    assert not VisitFrequency.objects.exists()


def test_workers_and_auditors_read_rules_but_cannot_set_them(
    client, shekou_worker, nanshan_auditor, nanshan_admin
):
    rule = frequency_set(
        actor=nanshan_admin,
        region=Region.objects.get(code=SHEKOU),
        category=Category.ORPHAN,
        interval_days=7,
    )
    for user in (shekou_worker, nanshan_auditor):
        client.force_login(user)
        page = client.get(RULES, {"region": SHEKOU[:9]})
        assert page.status_code == 200 and page.context["rule_form"] is None
        data = {"region": SHEKOU[:9], "category": Category.ORPHAN, "interval_days": "1"}
        assert client.post(SET, data).status_code == 403
        delete = reverse("casework:frequency_delete", args=[rule.pk])
        assert client.post(delete).status_code == 403
    rule.refresh_from_db()
    assert rule.interval_days == 7
