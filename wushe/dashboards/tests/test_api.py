"""GET /api/dashboards/{code}/ gives what the page's charts draw; GET /api/reports/monthly/
gives the report's files. Bad input is a 400 naming the parameter, outside the user's subtree
a 404."""

from __future__ import annotations

import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from wushe.audit.models import Action, AuditEntry
from wushe.dashboards.tests import sample
from wushe.dashboards.tests.test_pages import ASKED, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return sample.build()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_gives_exactly_what_the_page_draws(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    for code in ("440305", "440305007"):
        page = page_data(client.get(f"/dashboards/{code}/", ASKED))
        answer = api(nanshan_admin).get(f"/api/dashboards/{code}/", ASKED)
        assert answer.status_code == 200
        assert answer.json() == page


def test_period_is_a_short_way_to_ask_for_month_and_span(world, nanshan_admin):
    client = api(nanshan_admin)
    for period, month, span in (
        ("2026-10", "2026-10", "month"),
        ("2026-01..2026-10", "2026-10", "ytd"),
        ("2025", "2025-12", "ytd"),
    ):
        body = client.get("/api/dashboards/440305/", {"period": period}).json()
        assert (body["month"], body["span"]) == (month, span), period
    month = client.get("/api/dashboards/440305/", {"period": "2026-10"}).json()
    year = client.get("/api/dashboards/440305/", {"period": "2026-01..2026-10"}).json()
    assert month["total"]["value"] is None or month["period"] == "2026-10"
    assert year["period"] == "2026-01..2026-10"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"period": "2026-13"}, "period"),
        ({"period": "2026-03..2026-10"}, "period"),
        ({"indicator": "nope"}, "indicator"),
        ({"span": "week"}, "span"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(world, nanshan_admin, query, field):
    answer = api(nanshan_admin).get("/api/dashboards/440305/", query)
    assert answer.status_code == 400
    assert field in answer.json()


def test_regions_outside_or_unknown_are_a_404(world, nanshan_admin, futian_admin):
    for user, code in ((futian_admin, "440305"), (nanshan_admin, "4403"), (nanshan_admin, "12x")):
        assert api(user).get(f"/api/dashboards/{code}/").status_code == 404
    answer = api(futian_admin).get(
        "/api/reports/monthly/", {"region": "440305", "month": "2026-10"}
    )
    assert answer.status_code == 404
    assert answer.json() == {"detail": "未找到。"}


def test_the_report_comes_as_excel_or_pdf_and_is_audited(world, nanshan_admin):
    client = api(nanshan_admin)
    answer = client.get("/api/reports/monthly/", {"month": "2026-10"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["指标", "服务统计", "覆盖"] and book["指标"]["B2"].value == "南山区"
    answer = client.get(
        "/api/reports/monthly/", {"region": "440305007", "month": "2026-10", "format": "pdf"}
    )
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert 'filename="monthly-report-440305007-202610.pdf"' in answer["Content-Disposition"]
    exports = AuditEntry.objects.filter(
        action=Action.EXPORT, object_type="dashboards.monthly_report"
    )
    assert [entry.changes["format"] for entry in exports.order_by("seq")] == ["xlsx", "pdf"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({}, "month"),
        ({"month": "2026-10", "format": "docx"}, "format"),
        ({"month": "2026-10", "region": "abc"}, "region"),
    ],
)
def test_a_bad_report_question_is_a_json_400(world, nanshan_admin, query, field):
    answer = api(nanshan_admin).get("/api/reports/monthly/", query)
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/json")
    assert field in answer.json()
    assert not AuditEntry.objects.filter(object_type="dashboards.monthly_report").exists()


def test_the_report_page_form_gives_clear_errors(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    assert client.get("/dashboards/report/").status_code == 200
    response = client.get("/dashboards/report/", {"month": "2026-13", "format": "xlsx"})
    assert response.status_code == 400
    assert 'id="id_month_error"' in response.content.decode()
    assert "YYYY-MM" in response.content.decode()
    response = client.get("/dashboards/report/", {"month": "2026-10", "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
