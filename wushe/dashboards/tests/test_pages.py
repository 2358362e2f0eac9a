"""The dashboard page: tiles, the tables beside the charts (the same rows the charts draw),
drill-down links and the breadcrumb, scope, bad input and the Excel export of each table."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import FUTIAN, YUEHAI, make_user
from wushe.accounts.models import Role
from wushe.audit.models import Action, AuditEntry
from wushe.dashboards.tables import TABLES
from wushe.dashboards.tests import counting, sample
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db
ASKED = {"indicator": "station_coverage", "month": "2026-10", "span": "ytd"}


@pytest.fixture
def world(db):
    return sample.build()


def page_data(response) -> dict:
    """The JSON the charts draw, as the page hands it to ECharts."""
    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(found[1])


def table_cells(html: str, key: str) -> list[list[str]]:
    """The text of each body row of one table of the page."""
    table = re.search(
        rf'<table class="data dashboard-table" id="table-{key}">(.*?)</table>', html, re.S
    )
    body = re.search(r"<tbody>(.*?)</tbody>", table[1], re.S)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def test_it_shows_the_users_own_region_by_default(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    response = client.get("/dashboards/")
    assert response.status_code == 200
    data = page_data(response)
    assert data["region"] == {"code": "440305", "name": "南山区", "level": 3}
    assert data["indicator"]["code"] == "station_coverage"
    assert data["span"] == "ytd"
    assert [node["name"] for node in data["breadcrumb"]] == ["南山区"]
    html = response.content.decode()
    assert "南山区数据看板" in html
    assert '<script src="/static/wushe/vendor/echarts.min.js" defer></script>' in html
    assert "cdn" not in html.lower()


def test_the_tiles_show_value_target_status_and_no_data(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    response = client.get("/dashboards/", ASKED)
    tiles = {tile["indicator"]: tile for tile in page_data(response)["tiles"]}
    coverage = tiles["station_coverage"]
    assert (coverage["value"], coverage["target"], coverage["status"]) == (11.11, 100.0, "behind")
    assert tiles["facility_area_per_100_households"]["status"] == "met"
    assert tiles["social_work_professionals"]["value"] is None
    html = response.content.decode()
    tile = re.search(r'data-indicator="social_work_professionals">(.*?)</article>', html, re.S)[1]
    assert "无数据" in tile
    tile = re.search(r'data-indicator="station_coverage">(.*?)</article>', html, re.S)[1]
    assert "11.11" in tile and "目标 100" in tile and "status-behind" in tile and "滞后" in tile


def test_every_table_shows_the_rows_the_chart_draws(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    response = client.get("/dashboards/", ASKED)
    data, html = page_data(response), response.content.decode()
    for key, rows in (("ranking", data["ranking"]), ("coverage", data["coverage"])):
        shown = table_cells(html, key)
        assert [row[0] for row in shown] == [row["name"] for row in rows]
        assert [row[1] for row in shown] == [row["code"] for row in rows]
    ranking = {row["code"]: row for row in data["ranking"]}
    assert ranking["440305007"]["value"] == 100.0 and ranking["440305005"]["value"] == 0.0
    assert data["ranking"][0]["code"] == "440305007"  # best first
    trend = table_cells(html, "trend")
    assert [row[0] for row in trend] == [row["month"] for row in data["trend"]]
    assert trend[-1][0] == "2026-10" and trend[0][0] == "2025-11"
    for row, point in zip(trend, data["trend"], strict=True):
        assert row[1] == ("无数据" if point["value"] is None else f"{point['value']:g}")
    for shown, row in zip(table_cells(html, "coverage"), data["coverage"], strict=True):
        expected = counting.coverage(Region.objects.get(code=row["code"].ljust(12, "0")))
        assert {key: row[key] for key in expected} == expected
        assert shown[2] == str(expected["townships"])
    for table in ("kpis", "ranking", "trend", "coverage"):
        assert f'id="table-{table}"' in html
    assert html.count("<caption>") == 4 and 'scope="col"' in html


def test_a_child_links_one_level_down_and_the_breadcrumb_back_up(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    data = page_data(client.get("/dashboards/", ASKED))
    yuehai = next(row for row in data["ranking"] if row["code"] == "440305007")
    assert (
        yuehai["url"] == "/dashboards/440305007/?indicator=station_coverage&month=2026-10&span=ytd"
    )
    assert yuehai["url"] in client.get("/dashboards/", ASKED).content.decode().replace("&amp;", "&")
    down = client.get(yuehai["url"])
    assert down.status_code == 200
    below = page_data(down)
    assert below["region"]["name"] == "粤海街道"
    assert [node["name"] for node in below["breadcrumb"]] == ["南山区", "粤海街道"]
    up = below["breadcrumb"][0]["url"]
    assert up == "/dashboards/440305/?indicator=station_coverage&month=2026-10&span=ytd"
    assert page_data(client.get(up))["region"]["code"] == "440305"
    villages = [row["code"] for row in below["ranking"]]
    assert villages and all(code.startswith("440305007") for code in villages)
    village = page_data(client.get(below["ranking"][0]["url"]))
    assert [node["name"] for node in village["breadcrumb"]][:2] == ["南山区", "粤海街道"]
    assert village["ranking"] == [] and village["coverage"] == []


def test_the_breadcrumb_never_goes_above_the_users_region(client, world, yuehai_manager):
    client.force_login(yuehai_manager)
    data = page_data(client.get("/dashboards/", ASKED))
    assert [node["name"] for node in data["breadcrumb"]] == ["粤海街道"]
    for code in ("440305", "4403", "44"):
        assert client.get(f"/dashboards/{code}/").status_code == 404


def test_a_county_administrator_cannot_go_above_the_county(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    for code in ("4403", "44", "440304", "440304002"):
        assert client.get(f"/dashboards/{code}/").status_code == 404
        assert client.get(f"/dashboards/{code}/export/ranking.xlsx").status_code == 404
        assert (
            client.get("/dashboards/report/", {"region": code, "month": "2026-10"}).status_code
            == 404
        )
    denied = AuditEntry.objects.filter(success=False, object_type="regions.region")
    assert denied.filter(object_id="440300000000").exists()


def test_another_county_sees_nothing_of_nanshan(client, world, futian_admin):
    client.force_login(futian_admin)
    for path in ("/dashboards/440305/", "/dashboards/440305007/", "/dashboards/440305/map.json"):
        assert client.get(path).status_code == 404
    answer = client.get("/dashboards/report/", {"region": "440305", "month": "2026-10"})
    assert answer.status_code == 404
    own = page_data(client.get("/dashboards/", ASKED))
    assert own["region"]["code"] == "440304"
    text = json.dumps(own, ensure_ascii=False)
    assert "南山" not in text and "440305" not in text


def test_a_province_administrator_drills_from_the_province(client, world):
    province = make_user("guangdong_viewer", sample.GUANGDONG, Role.ADMIN)
    client.force_login(province)
    data = page_data(client.get("/dashboards/", ASKED))
    assert data["region"]["name"] == "广东省"
    assert [row["name"] for row in data["ranking"]] == ["深圳市"]
    city = page_data(client.get(data["ranking"][0]["url"]))
    assert {row["name"] for row in city["ranking"]} == {"南山区", "福田区"}
    assert [node["name"] for node in city["breadcrumb"]] == ["广东省", "深圳市"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "二〇二六年"}, "month"),
        ({"month": "0000-01"}, "month"),
        ({"indicator": "no_such_thing"}, "indicator"),
        ({"span": "decade"}, "span"),
    ],
)
def test_bad_input_is_a_400_with_the_message_beside_its_field(
    client, world, nanshan_admin, query, field
):
    client.force_login(nanshan_admin)
    response = client.get("/dashboards/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "dashboard-data" not in html


def test_unknown_or_malformed_regions_are_a_404(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    for path in (
        "/dashboards/440305999/",
        "/dashboards/123/",
        "/dashboards/99/",
        "/dashboards/4403059/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/dashboards/440305/export/nothing.xlsx").status_code == 404


def test_the_page_speaks_english_when_asked(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    client.cookies["django_language"] = "en"
    response = client.get("/dashboards/", ASKED)
    html = response.content.decode()
    assert "Dashboard of 南山区" in html
    labels = re.search(
        r'<script id="dashboard-labels" type="application/json">(.*?)</script>', html, re.S
    )
    assert json.loads(labels[1])["value"] == "Value"
    data = page_data(response)
    assert data["indicator"]["name"] == "Township station coverage"
    assert {tile["status_label"] for tile in data["tiles"]} >= {"Behind", "No data"}


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_exports_to_excel_as_shown_and_is_audited(client, world, nanshan_admin, table):
    client.force_login(nanshan_admin)
    shown = table_cells(client.get("/dashboards/", ASKED).content.decode(), table)
    response = client.get(f"/dashboards/440305/export/{table}.xlsx", ASKED)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(column.label) for column in TABLES[table]]
    start = rows.index(tuple(header)) + 1
    exported = rows[start : start + len(shown)]
    assert [str(row[0]) for row in exported] == [row[0] for row in shown]
    for cells, row in zip(shown, exported, strict=True):
        for text, value in zip(cells, row, strict=True):
            if value is None:
                assert text == "—"
            elif isinstance(value, float | int):
                assert float(text.replace(",", "")) == pytest.approx(value)
            else:
                assert text == str(value)
    entry = AuditEntry.objects.filter(
        action=Action.EXPORT, object_type="dashboards.dashboard"
    ).last()
    assert entry.changes["table"] == table and entry.region_code == "440305000000"


def test_the_dashboard_reads_a_fixed_number_of_queries(client, world, nanshan_admin):
    client.force_login(nanshan_admin)
    counts = []
    for code in ("440305", "440305007", "440305007003"):  # 9 streets; 16 villages; none
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/dashboards/{code}/", ASKED).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]  # whatever the number of children
    # 10 plan indicators in one query per record element (+ one for the entered ones, one for
    # the targets), a year of monthly points in one query per element: 26 today.
    assert max(counts) <= 28


def test_the_nav_links_to_the_dashboard(client, world, shekou_worker):
    client.force_login(shekou_worker)
    assert 'href="/dashboards/"' in client.get("/").content.decode()
    assert page_data(client.get("/dashboards/"))["region"]["code"] == "440305005"
    assert client.get(f"/dashboards/{YUEHAI[:9]}/").status_code == 404
    assert client.get(f"/dashboards/{FUTIAN[:6]}/").status_code == 404


def test_the_inputs_show_the_month_shown_when_a_link_names_only_the_indicator(
    client, world, nanshan_admin
):
    from wushe.indicators.periods import this_month

    client.force_login(nanshan_admin)
    html = client.get("/dashboards/?indicator=station_coverage").content.decode()
    month = re.search(r'<input type="month" name="month"[^>]*>', html)[0]
    assert f'value="{this_month():%Y-%m}"' in month
