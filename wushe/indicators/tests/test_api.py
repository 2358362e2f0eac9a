"""The indicators API: definitions as data (a formula naming a missing element is a 400 on its
field), figures and targets through the services, values scoped to the user's subtree."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from wushe.core.tests.api_client import token_client
from wushe.indicators.models import EnteredValue, Indicator, Target
from wushe.indicators.tests.helpers import SHEKOU, YUEHAI, enter

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_indicators_are_listed_created_changed_and_refused(nanshan_admin, yuehai_manager):
    client = api(nanshan_admin)
    listed = client.get("/api/indicators/").json()
    coverage = next(row for row in listed if row["code"] == "station_coverage")
    assert coverage["formula"] == "stations_operating / townships × 100" and coverage["built_in"]
    body = {
        "code": "visits_per_village",
        "name_zh": "村均走访",
        "numerator": "visits",
        "denominator": "no_such",
        "factor": 1,
    }
    refused = client.post("/api/indicators/", body, format="json")
    assert refused.status_code == 400 and "denominator" in refused.json()
    made = client.post("/api/indicators/", {**body, "denominator": "villages"}, format="json")
    assert made.status_code == 201 and made.json()["formula"] == "visits / villages"
    changed = client.patch(
        "/api/indicators/visits_per_village/", {"denominator": None, "factor": 1}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["formula"] == "visits"
    assert api(yuehai_manager).post("/api/indicators/", body, format="json").status_code == 403
    assert client.delete("/api/indicators/station_coverage/").status_code == 403  # national
    assert client.delete("/api/indicators/visits_per_village/").status_code == 204
    assert not Indicator.objects.filter(code="visits_per_village").exists()


def test_data_elements_are_listed_and_entered_ones_created(nanshan_admin):
    client = api(nanshan_admin)
    rows = {row["code"]: row for row in client.get("/api/data-elements/").json()}
    assert rows["visits"]["source"] == "records" and rows["households"]["source"] == "entered"
    assert rows["visits"]["available"] and rows["visits"]["built_in"]
    made = client.post(
        "/api/data-elements/", {"code": "elderly_80", "name_zh": "80岁以上"}, format="json"
    )
    assert made.status_code == 201 and made.json()["source"] == "entered"
    again = client.post(
        "/api/data-elements/", {"code": "elderly_80", "name_zh": "x"}, format="json"
    )
    assert again.status_code == 400 and "code" in again.json()
    assert client.get("/api/data-elements/no_such/").status_code == 404


def test_figures_are_set_corrected_and_scoped(nanshan_admin, yuehai_manager, futian_admin):
    client = api(yuehai_manager)
    body = {"region": "440305007", "year": 2025, "element": "households", "value": 120}
    made = client.post("/api/entered-values/", body, format="json")
    assert made.status_code == 201, made.json()
    again = client.post("/api/entered-values/", {**body, "value": 130}, format="json")
    assert again.status_code == 201 and EnteredValue.objects.get().value == 130  # corrected
    for bad, field in (
        ({**body, "value": -1}, "value"),
        ({**body, "element": "visits"}, "element"),
        ({**body, "element": "no_such"}, "element"),
        ({**body, "region": "440305005"}, "region"),  # 蛇口: outside 粤海
        ({**body, "year": 1800}, "year"),
    ):
        answer = client.post("/api/entered-values/", bad, format="json")
        assert answer.status_code == 400 and field in answer.json(), bad
    unknown = client.post("/api/entered-values/", {**body, "element": "no_such"}, format="json")
    assert unknown.json()["element"] == ["没有数据元“no_such”。"]
    english = token_client(yuehai_manager, language="en")
    unknown = english.post("/api/entered-values/", {**body, "element": "no_such"}, format="json")
    assert unknown.json()["element"] == ["There is no data element “no_such”."]
    figure = EnteredValue.objects.get()
    patched = client.patch(f"/api/entered-values/{figure.pk}/", {"value": 99.5}, format="json")
    assert patched.status_code == 200 and patched.json()["value"] == 99.5
    assert api(futian_admin).get(f"/api/entered-values/{figure.pk}/").status_code == 404
    assert api(futian_admin).get("/api/entered-values/").json()["count"] == 0
    listed = api(nanshan_admin).get("/api/entered-values/", {"region": "440305007"}).json()
    assert listed["count"] == 1
    assert client.delete(f"/api/entered-values/{figure.pk}/").status_code == 204


def test_targets_are_set_by_administrators(nanshan_admin, yuehai_manager):
    client = api(nanshan_admin)
    body = {"region": "440305", "indicator": "station_coverage", "year": 2025, "value": 100}
    assert api(yuehai_manager).post("/api/targets/", body, format="json").status_code == 403
    made = client.post("/api/targets/", body, format="json")
    assert made.status_code == 201, made.json()
    target = Target.objects.get()
    patched = client.patch(f"/api/targets/{target.pk}/", {"value": 90}, format="json")
    assert patched.status_code == 200 and patched.json()["value"] == 90
    bad = client.post("/api/targets/", {**body, "indicator": "no_such"}, format="json")
    assert bad.status_code == 400 and bad.json()["indicator"] == ["没有该指标。"]
    english = token_client(nanshan_admin, language="en")
    bad = english.post("/api/targets/", {**body, "indicator": "no_such"}, format="json")
    assert bad.json()["indicator"] == ["No such indicator."]
    assert Target.objects.count() == 1


def test_indicator_values_answer_for_the_region_its_children_and_a_trend(nanshan_admin):
    for code, points, facilities in ((YUEHAI, 1, 1), (SHEKOU, 1, 99)):
        enter(nanshan_admin, code, "facilities_with_volunteer_point", points)
        enter(nanshan_admin, code, "community_service_facilities", facilities)
    query = {"indicator": "volunteer_point_share", "period": "2025", "trend": 3}
    body = api(nanshan_admin).get("/api/indicator-values/", query).json()
    assert body["total"]["value"] == 2.0 and body["total"]["status"] == "no_target"
    by_code = {row["region"]["code"]: row for row in body["children"]}
    assert by_code[YUEHAI]["value"] == 100.0 and by_code["440305001000"]["value"] is None
    assert [point["period"] for point in body["trend"]] == ["2025-10", "2025-11", "2025-12"]
    kpis = api(nanshan_admin).get("/api/kpis/", {"period": "2025"}).json()
    assert [row["indicator"]["code"] for row in kpis][0] == "station_coverage"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"indicator": "station_coverage", "region": "440304"}, 404),
        ({"indicator": "station_coverage", "region": "abc"}, 400),
        ({"indicator": "station_coverage", "period": "2025-99"}, 400),
        ({"indicator": "station_coverage", "trend": 1000}, 400),
        ({"indicator": "no_such"}, 404),
        ({}, 400),
    ],
)
def test_odd_value_questions_are_400_or_404(nanshan_admin, query, status):
    assert api(nanshan_admin).get("/api/indicator-values/", query).status_code == status


def test_figures_are_imported_through_the_api_rows_refused_in_both_languages(
    tmp_path, nanshan_admin, settings
):
    """The imports API with kind indicator_values: a bad row is reported with its row, column
    and both languages, and nothing is written until the sheet is good."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wushe.indicators.tests.test_import import write_xlsx

    settings.WUSHE_IMPORTS_IN_BACKGROUND = False
    client = token_client(nanshan_admin)
    rows = [
        ["440305007", "粤海街道", "2025", "households", "1200", ""],
        ["999999", "", "2025", "households", "5", ""],  # no such region
        ["440305005", "蛇口街道", "2025", "households", "很多", ""],  # not a number
    ]

    def upload(name, rows):
        sheet = SimpleUploadedFile(name, write_xlsx(tmp_path / name, rows).read_bytes())
        data = {"kind": "indicator_values", "file": sheet}
        return client.post("/api/imports/", data, format="multipart")

    job = upload("bad.xlsx", rows).json()
    assert (job["status"], job["rows"], job["rejected"]) == ("checked", 3, 2)
    found = {(error["row"], error["column"], error["code"]) for error in job["errors"]}
    assert found == {(3, "区划代码", "region_unknown"), (4, "数值", "value_not_number")}
    by_row = {error["row"]: error for error in job["errors"]}
    assert "999999" in by_row[3]["message_zh"] and "No region" in by_row[3]["message_en"]
    assert "不是数字" in by_row[4]["message_zh"] and "not a number" in by_row[4]["message_en"]
    refused = client.post(f"/api/imports/{job['id']}/confirm/", {}, format="json")
    assert refused.status_code == 400 and not EnteredValue.objects.exists()
    good = upload("good.xlsx", rows[:1]).json()
    done = client.post(f"/api/imports/{good['id']}/confirm/", {}, format="json")
    assert done.status_code == 202 and done.json()["created"] == 1
    assert EnteredValue.objects.get().value == 1200
