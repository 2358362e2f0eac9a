"""What the upload page refuses, and how it says so."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wushe.audit.models import AuditEntry
from wushe.imports.models import ImportJob
from wushe.imports.tests.sheets import xlsx_upload
from wushe.people.tests.import_sheets import good_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def post(client, **data):
    return client.post("/imports/new/", {"kind": "residents", **data})


def test_a_file_over_the_limit_is_refused_beside_the_field(manager_client, tmp_path, settings):
    settings.WUSHE_IMPORT_MAX_BYTES = 2 << 20
    big = SimpleUploadedFile("大.csv", b"x" * ((2 << 20) + 1))
    response = post(manager_client, file=big)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "文件超过 2 MB：请拆分为几个文件，或请管理员用 wushe import 命令导入。"
    ]
    assert not ImportJob.objects.exists()
    assert post(manager_client, file=xlsx_upload(tmp_path, good_rows())).status_code == 302


def test_a_file_that_is_no_sheet_by_name_is_refused(manager_client):
    response = post(manager_client, file=SimpleUploadedFile("居民.xls", b"\xd0\xcf\x11\xe0"))
    assert response.status_code == 400
    assert "Excel 工作簿（.xlsx）" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_no_file_is_refused(manager_client):
    response = post(manager_client)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["请选择要导入的文件。"]


@pytest.mark.parametrize("value", ["\x00", "9" * 40, "-1", "<script>", "residents'"])
def test_odd_input_is_a_field_error(manager_client, tmp_path, value):
    for field in ("kind", "station"):
        data = {field: value, "file": xlsx_upload(tmp_path, good_rows())}
        response = manager_client.post("/imports/new/", {"kind": "residents", **data})
        assert response.status_code in (302, 400)
    response = manager_client.post("/imports/new/", {"kind": value})
    assert response.status_code == 400 and b"<script>" not in response.content


def test_an_auditor_may_not_upload_and_is_recorded(client, nanshan_auditor, tmp_path):
    client.force_login(nanshan_auditor)
    assert client.get("/imports/new/").status_code == 403
    response = post(client, file=xlsx_upload(tmp_path, good_rows()))
    assert response.status_code == 403 and not ImportJob.objects.exists()
    assert AuditEntry.objects.filter(object_type="imports.importjob", success=False).count() == 2
    assert client.get("/imports/").status_code == 200  # an empty list: no jobs of its own


def test_anonymous_visitors_go_to_the_login_page(client):
    for path in ("/imports/", "/imports/new/", "/imports/1/", "/imports/templates/residents.xlsx"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith("/login/?next=")
    assert client.post("/imports/new/").status_code == 302
    assert not ImportJob.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(yuehai_manager, tmp_path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(yuehai_manager)
    response = client.post(
        "/imports/new/", {"kind": "residents", "file": xlsx_upload(tmp_path, good_rows())}
    )
    assert response.status_code == 403 and not ImportJob.objects.exists()
