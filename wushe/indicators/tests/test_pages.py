"""The indicators pages: definitions, values by region and month, figures and targets; the
forms put the services' messages beside their fields; odd input is a 400 or 404, never a 500."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wushe.indicators.models import EnteredValue, Indicator, Target
from wushe.indicators.tests.helpers import NANSHAN, SHEKOU, YUEHAI, enter

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, nanshan_admin):
    client.force_login(nanshan_admin)
    return client


def test_the_list_shows_the_built_in_set_with_formulas_and_sources(admin_client):
    page = admin_client.get("/indicators/").content.decode()
    assert "乡镇(街道)社工站覆盖率" in page and "stations_operating / townships × 100" in page
    assert "《河南省“十四五”民政事业发展规划》" in page


def test_an_indicator_shows_its_value_by_child_and_by_month(admin_client, nanshan_admin):
    for code, points, facilities in ((YUEHAI, 1, 1), (SHEKOU, 1, 99)):
        enter(nanshan_admin, code, "facilities_with_volunteer_point", points)
        enter(nanshan_admin, code, "community_service_facilities", facilities)
    response = admin_client.get("/indicators/volunteer_point_share/", {"period": "2025"})
    assert response.status_code == 200
    total = response.context["total"]
    assert total.value == 2 and len(response.context["children"]) > 2
    assert len(response.context["trend"]) == 12
    page = response.content.decode()
    assert "粤海街道" in page and "无数据" in page


def test_the_value_page_reads_a_fixed_number_of_queries(admin_client, nanshan_admin):
    enter(nanshan_admin, YUEHAI, "households", 10)
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/indicators/facility_area_per_100_households/", {"region": "440305007"})
    with CaptureQueriesContext(connection) as many:
        admin_client.get("/indicators/facility_area_per_100_households/", {"region": "440305"})
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"period": "2025-13"}, 400),
        ({"period": "next year"}, 400),
        ({"period": "2025-06..2025-01"}, 400),
        ({"region": "44030"}, 400),
        ({"region": "440304"}, 404),  # 福田区: outside 南山
        ({"region": "999999"}, 404),
    ],
)
def test_odd_questions_are_400_or_404(admin_client, query, status):
    assert admin_client.get("/indicators/station_coverage/", query).status_code == status


def test_unknown_and_foreign_indicators_are_404(admin_client, client, futian_admin):
    assert admin_client.get("/indicators/no_such_one/").status_code == 404
    admin_client.post(
        "/indicators/new/",
        {
            "code": "nanshan_visits",
            "name_zh": "走访",
            "numerator": "visits",
            "factor": "1",
            "direction": "higher",
        },
    )
    assert Indicator.objects.filter(code="nanshan_visits").exists()
    client.force_login(futian_admin)
    assert client.get("/indicators/nanshan_visits/").status_code == 404
    assert client.post("/indicators/nanshan_visits/delete/").status_code == 404


def test_a_formula_with_a_missing_element_is_refused_beside_the_field(admin_client):
    response = admin_client.post(
        "/indicators/new/",
        {
            "code": "broken",
            "name_zh": "坏",
            "numerator": "visits",
            "denominator": "nope",
            "factor": "100",
            "direction": "higher",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["denominator"]
    assert not Indicator.objects.filter(code="broken").exists()


def test_managers_may_enter_figures_but_not_define_or_set_targets(client, yuehai_manager):
    client.force_login(yuehai_manager)
    assert client.get("/indicators/new/").status_code == 403
    assert client.get("/indicators/targets/new/").status_code == 403
    response = client.post(
        "/indicators/figures/new/",
        {"region": "440305007", "year": "2025", "element": "households", "value": "1,200"},
    )
    assert response.status_code == 302
    assert EnteredValue.objects.get().value == 1200
    refused = client.post(
        "/indicators/figures/new/",
        {"region": "440305005", "year": "2025", "element": "households", "value": "5"},
    )
    assert refused.status_code == 400  # 蛇口 is outside 粤海
    assert refused.context["form"].errors["region"]


def test_figures_are_corrected_and_deleted(admin_client, nanshan_admin):
    figure = enter(nanshan_admin, YUEHAI, "households", 10)
    response = admin_client.post(
        f"/indicators/figures/{figure.pk}/edit/", {"value": "-1", "note": ""}
    )
    assert response.status_code == 400 and response.context["form"].errors["value"]
    admin_client.post(f"/indicators/figures/{figure.pk}/edit/", {"value": "12.5", "note": "更正"})
    figure.refresh_from_db()
    assert (figure.value, figure.note, figure.region_id) == (12.5, "更正", YUEHAI)
    assert admin_client.post(f"/indicators/figures/{figure.pk}/delete/").status_code == 302
    assert not EnteredValue.objects.exists()
    for pk in ("x", "99999999999999999999", "0"):
        assert admin_client.get(f"/indicators/figures/{pk}/edit/").status_code == 404


def test_targets_are_set_listed_and_deleted(admin_client):
    response = admin_client.post(
        "/indicators/targets/new/",
        {
            "region": "440305",
            "indicator": "station_coverage",
            "year": "2025",
            "value": "100",
            "base_year": "2025",
        },
    )
    assert response.status_code == 400 and response.context["form"].errors["base_year"]
    admin_client.post(
        "/indicators/targets/new/",
        {"region": "440305", "indicator": "station_coverage", "year": "2025", "value": "100"},
    )
    target = Target.objects.get()
    assert "100" in admin_client.get("/indicators/targets/").content.decode()
    detail = admin_client.get("/indicators/station_coverage/", {"period": "2025"})
    assert detail.context["total"].target == 100
    assert admin_client.post(f"/indicators/targets/{target.pk}/delete/").status_code == 302
    assert not Target.objects.exists()


def test_the_lists_filter_and_refuse_odd_filters(admin_client, nanshan_admin):
    enter(nanshan_admin, YUEHAI, "households", 10)
    enter(nanshan_admin, NANSHAN, "households", 20, year=2024)
    page = admin_client.get("/indicators/figures/", {"year": "2024"})
    assert [row.value for row in page.context["page"]] == [20]
    assert admin_client.get("/indicators/figures/", {"year": "abc"}).status_code == 400
    assert admin_client.get("/indicators/targets/", {"region": "x"}).status_code == 200
    assert admin_client.get("/indicators/elements/").status_code == 200


def test_each_status_is_a_coloured_badge_that_says_it_in_words(admin_client, nanshan_admin):
    from django.contrib.staticfiles import finders

    from wushe.indicators.choices import Status

    with open(finders.find("wushe/wushe.css"), encoding="utf-8") as sheet:
        css = sheet.read()  # the sheet every page loads, not only the dashboard's
    for status in Status.values:
        assert re.search(rf"\.status-{status.replace('_', '-')} \{{[^}}]*background", css)
    enter(nanshan_admin, YUEHAI, "households", 100)
    enter(nanshan_admin, YUEHAI, "community_facility_area", 40)  # 40 m² per 100 households
    admin_client.post(
        "/indicators/targets/new/",
        {"region": "440305", "indicator": "facility_area_per_100_households"}
        | {"year": "2025", "value": "32"},
    )
    page = admin_client.get(
        "/indicators/facility_area_per_100_households/", {"period": "2025"}
    ).content.decode()
    assert '<span class="status status-met">已达标</span>' in page  # 粤海
    assert '<span class="status status-no-data">无数据</span>' in page  # 蛇口


def test_an_administrator_defines_an_element_and_an_indicator_over_it_on_the_pages(
    admin_client, nanshan_admin
):
    from wushe.indicators.models import DataElement

    made = admin_client.post(
        "/indicators/elements/new/",
        {"code": "elderly_80", "name_zh": "80岁以上老年人口", "unit": "人"},
    )
    assert made.status_code == 302 and DataElement.objects.get(code="elderly_80").is_entered
    bad = admin_client.post("/indicators/elements/new/", {"code": "80x", "name_zh": "坏"})
    assert bad.status_code == 400 and bad.context["form"].errors["code"]
    admin_client.post(
        "/indicators/elements/elderly_80/edit/", {"name_zh": "八十岁以上人口", "unit": "人"}
    )
    assert DataElement.objects.get(code="elderly_80").name_zh == "八十岁以上人口"
    fields = {"code": "visits_per_80", "name_zh": "高龄走访", "numerator": "visits"}
    fields |= {"denominator": "elderly_80", "factor": "100", "direction": "higher"}
    assert admin_client.post("/indicators/new/", fields).status_code == 302
    fields["factor"] = "0"
    refused = admin_client.post("/indicators/visits_per_80/edit/", fields)
    assert refused.status_code == 400 and refused.context["form"].errors["factor"]
    fields["factor"] = "1000"
    assert admin_client.post("/indicators/visits_per_80/edit/", fields).status_code == 302
    assert Indicator.objects.get(code="visits_per_80").formula == "visits / elderly_80 × 1000"
    enter(nanshan_admin, YUEHAI, "elderly_80", 0)  # a zero denominator: no data, not an error
    page = admin_client.get("/indicators/visits_per_80/", {"region": "440305007"})
    assert page.status_code == 200 and page.context["total"].value is None
    assert "无数据" in page.content.decode()
