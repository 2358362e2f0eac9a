"""The imports API: POST a sheet, GET the job, POST confirm, GET progress."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wushe.core.tests.api_client import token_client
from wushe.imports.models import ImportJob
from wushe.imports.tests.sheets import BAD_ROW, rows_with_a_bad_one, xlsx_upload
from wushe.people.models import Resident
from wushe.people.tests.import_sheets import good_rows

pytestmark = pytest.mark.django_db


def post_sheet(api, file, **fields):
    return api.post("/api/imports/", {"file": file, **fields}, format="multipart")


def test_it_creates_checks_and_imports_a_job(yuehai_manager, yuehai_station, tmp_path):
    api = token_client(yuehai_manager)
    created = post_sheet(api, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    assert created.status_code == 201 and "no-store" in created["Cache-Control"]
    job = created.json()
    assert (job["status"], job["rows"], job["to_create"], job["rejected"]) == ("checked", 4, 3, 1)
    assert job["station"] == yuehai_station.pk and job["owner"] == "yuehai_manager"
    [error] = job["errors"]
    assert (error["row"], error["column"], error["code"]) == (BAD_ROW, "身份证号", "id_check_digit")
    assert "校验码" in error["message_zh"] and "check digit" in error["message_en"]
    assert error["message"] == error["message_zh"]
    url = f"/api/imports/{job['id']}/"
    refused = api.post(f"{url}confirm/", {}, format="json")
    assert refused.status_code == 400 and "valid_only" in refused.json()
    assert not Resident.objects.exists()
    confirmed = api.post(f"{url}confirm/", {"valid_only": True}, format="json")
    assert confirmed.status_code == 202
    assert (confirmed.json()["status"], confirmed.json()["created"]) == ("done", 3)
    assert Resident.objects.count() == 3
    progress = api.get(f"{url}progress/").json()
    assert progress == {"status": "done", "stage": "", "done": 4, "total": 4, "percent": 100.0}
    assert api.get(url).json()["valid_only"] is True


def test_the_errors_come_in_english_when_asked(yuehai_manager, tmp_path):
    api = token_client(yuehai_manager, language="en")
    job = post_sheet(api, xlsx_upload(tmp_path, rows_with_a_bad_one())).json()
    assert "check digit" in job["errors"][0]["message"]


def test_a_sheet_over_the_limit_is_a_field_error(yuehai_manager, settings):
    settings.WUSHE_IMPORT_MAX_BYTES = 1 << 20
    api = token_client(yuehai_manager)
    response = post_sheet(api, SimpleUploadedFile("大.csv", b"x" * ((1 << 20) + 10)))
    assert response.status_code == 400
    assert list(response.json()) == ["file"] and "1 MB" in response.json()["file"][0]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({}, "file"),
        ({"kind": "volunteers"}, "kind"),
        ({"station": 987654}, "station"),
        ({"station": "x"}, "station"),
        ({"valid_only": "maybe"}, "valid_only"),
    ],
)
def test_bad_input_is_a_field_error(yuehai_manager, tmp_path, fields, field):
    api = token_client(yuehai_manager)
    if field != "file":
        fields["file"] = xlsx_upload(tmp_path, good_rows())
    response = api.post("/api/imports/", fields, format="multipart")
    assert response.status_code == 400 and field in response.json()
    assert not ImportJob.objects.exists()


def test_a_station_outside_the_subtree_is_no_station(nanshan_admin, futian_station, tmp_path):
    api = token_client(nanshan_admin)
    response = post_sheet(api, xlsx_upload(tmp_path, good_rows()), station=futian_station.pk)
    assert response.status_code == 400 and response.json() == {"station": ["没有这个站点。"]}


def test_a_json_body_is_no_upload(yuehai_manager):
    response = token_client(yuehai_manager).post("/api/imports/", {"kind": "residents"})
    assert response.status_code == 400 and "file" in response.json()


def test_an_auditor_may_not_upload(nanshan_auditor, tmp_path):
    response = post_sheet(token_client(nanshan_auditor), xlsx_upload(tmp_path, good_rows()))
    assert response.status_code == 403 and not ImportJob.objects.exists()


def test_another_users_job_is_not_found_and_an_admin_may_read_but_not_confirm(
    yuehai_manager, shekou_worker, nanshan_admin, tmp_path
):
    job = post_sheet(token_client(yuehai_manager), xlsx_upload(tmp_path, good_rows())).json()
    url = f"/api/imports/{job['id']}/"
    other = token_client(shekou_worker)
    for path in (url, f"{url}progress/"):
        assert other.get(path).status_code == 404
    assert other.post(f"{url}confirm/", {}, format="json").status_code == 404
    assert other.get("/api/imports/").json()["count"] == 0
    admin = token_client(nanshan_admin)
    assert admin.get(url).status_code == 200
    assert admin.get("/api/imports/").json()["count"] == 1
    assert admin.post(f"{url}confirm/", {}, format="json").status_code == 403
    assert ImportJob.objects.get(pk=job["id"]).status == "checked"
    assert not Resident.objects.exists()


def test_a_job_id_that_is_no_number_is_not_found(yuehai_manager):
    api = token_client(yuehai_manager)
    for path in ("/api/imports/x/", f"/api/imports/{10**30}/", "/api/imports/-1/progress/"):
        assert api.get(path).status_code == 404


def test_the_list_leaves_the_errors_out(yuehai_manager, tmp_path):
    api = token_client(yuehai_manager)
    post_sheet(api, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    [job] = api.get("/api/imports/").json()["results"]
    assert "errors" not in job and job["error_count"] == 1
