"""The import pages end to end: upload, check, preview, confirm, import, done."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.imports import storage
from wushe.imports.models import ImportJob
from wushe.imports.tests.sheets import (
    BAD_ROW,
    fixed_rows,
    rows_with_a_bad_one,
    upload,
    xlsx_upload,
)
from wushe.people.identity import mask_id_number
from wushe.people.importing import IMPORT_TYPE
from wushe.people.models import Resident
from wushe.people.phones import mask_phone
from wushe.people.tests.import_sheets import ZHANG_ID, ZHANG_PHONE, good_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    return client


def test_it_previews_a_bad_row_with_its_row_column_and_reason_and_writes_nothing(
    manager_client, tmp_path
):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    assert job.status == "checked"
    assert (job.rows, job.to_create, job.rejected) == (4, 3, 1)
    page = manager_client.get(f"/imports/{job.pk}/")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    errors = page.context["errors_page"].object_list
    assert [(e.row, e.column, e.code) for e in errors] == [(BAD_ROW, "身份证号", "id_check_digit")]
    html = page.content.decode()
    assert "id_check_digit" in html and "校验码" in html  # the reason, in Chinese
    assert "Fix the file" not in html
    confirm = manager_client.post(f"/imports/{job.pk}/confirm/")
    assert confirm.status_code == 400
    assert "1 行有错误" in confirm.content.decode()
    job.refresh_from_db()
    assert job.status == "checked"
    assert not Resident.objects.exists()


def test_it_explains_errors_in_english_when_english_is_chosen(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    manager_client.post("/i18n/setlang/", {"language": "en"})
    html = manager_client.get(f"/imports/{job.pk}/").content.decode()
    assert "check digit" in html and "校验码" not in html


def test_the_preview_shows_the_first_rows_masked_as_on_screen(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    page = manager_client.get(f"/imports/{job.pk}/")
    preview = page.context["preview"]
    assert [row.number for row in preview.rows] == [2, 3, 4, BAD_ROW]
    assert [row.state for row in preview.rows] == ["new", "new", "new", "error"]
    zhang = preview.rows[0].cells
    assert zhang[1] == "张三丰" and zhang[4] == mask_id_number(ZHANG_ID)
    assert zhang[5] == mask_phone(ZHANG_PHONE) and "科技园社区" in zhang[6]
    html = page.content.decode()
    assert ZHANG_ID not in html and ZHANG_PHONE not in html
    assert mask_id_number(ZHANG_ID) in html


def test_a_fixed_sheet_is_imported_on_confirmation_and_audited(
    manager_client, yuehai_manager, yuehai_station, tmp_path
):
    upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    job = upload(manager_client, xlsx_upload(tmp_path, fixed_rows(), name="居民-改.xlsx"))
    assert (job.status, job.rejected, job.to_create) == ("checked", 0, 4)
    assert job.station == yuehai_station  # a township's own station files its rows
    response = manager_client.post(f"/imports/{job.pk}/confirm/")
    assert response.status_code == 302 and response.url == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count) == ("done", 4, 0)
    assert Resident.objects.filter(station=yuehai_station).count() == 4
    assert not storage.job_dir(job.pk).exists()  # the sheet is gone once imported
    entry = AuditEntry.objects.filter(object_type=IMPORT_TYPE).latest("seq")
    assert entry.actor == yuehai_manager and entry.object_repr == "居民-改.xlsx"
    assert entry.changes["mode"] == "whole_file" and entry.changes["written"] is True
    assert entry.changes["created"] == 4
    done = manager_client.get(f"/imports/{job.pk}/").content.decode()
    assert 'href="/residents/"' in done


def test_valid_rows_only_chosen_at_upload_writes_the_good_rows(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()), valid_only="on")
    assert job.valid_only and job.status == "checked"
    assert manager_client.post(f"/imports/{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rejected) == ("done", 3, 1)
    assert sorted(Resident.objects.values_list("name", flat=True)) == ["张三丰", "李梅", "王建国"]
    page = manager_client.get(f"/imports/{job.pk}/")
    assert [e.row for e in page.context["errors_page"].object_list] == [BAD_ROW]


def test_valid_rows_only_can_be_chosen_on_the_preview(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    response = manager_client.post(f"/imports/{job.pk}/confirm/", {"valid_only": "on"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.valid_only and job.status == "done" and Resident.objects.count() == 3


def test_confirming_twice_imports_once(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    assert manager_client.post(f"/imports/{job.pk}/confirm/").status_code == 302
    again = manager_client.post(f"/imports/{job.pk}/confirm/")
    assert again.status_code == 400 and Resident.objects.count() == 3


def test_reimporting_the_same_sheet_has_nothing_to_import(manager_client, tmp_path):
    first = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    manager_client.post(f"/imports/{first.pk}/confirm/")
    second = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    assert (second.to_create, second.to_update, second.unchanged) == (0, 0, 3)
    page = manager_client.get(f"/imports/{second.pk}/")
    assert [row.state for row in page.context["preview"].rows] == ["filed"] * 3
    assert manager_client.post(f"/imports/{second.pk}/confirm/").status_code == 400


def test_the_error_report_downloads_as_xlsx_and_csv(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    workbook = manager_client.get(f"/imports/{job.pk}/errors.xlsx")
    assert workbook.status_code == 200 and "no-store" in workbook["Cache-Control"]
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行", "列", "代码", "说明", "Message")
    assert rows[1][:3] == (BAD_ROW, "身份证号", "id_check_digit")
    text = manager_client.get(f"/imports/{job.pk}/errors.csv").content.decode("utf-8-sig")
    assert f"{BAD_ROW},身份证号,id_check_digit," in text


def test_the_template_is_downloadable_from_the_upload_page(manager_client):
    page = manager_client.get("/imports/new/").content.decode()
    assert 'href="/imports/templates/residents.xlsx"' in page
    response = manager_client.get("/imports/templates/residents.xlsx")
    headers = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {"姓名", "身份证号", "村(社区)代码"} <= set(headers)
    csv = manager_client.get("/imports/templates/residents.csv").content.decode("utf-8-sig")
    assert csv.startswith("姓名,")
    assert manager_client.get("/imports/templates/nothing.xlsx").status_code == 404


def test_an_unreadable_file_fails_with_its_error_and_its_file_is_deleted(manager_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = upload(manager_client, SimpleUploadedFile("坏.xlsx", b"PK\x03\x04 not a workbook"))
    assert (job.status, job.failure) == ("failed", "unreadable")
    assert job.errors[0][2] == "unreadable_file" and not storage.job_dir(job.pk).exists()
    page = manager_client.get(f"/imports/{job.pk}/").content.decode()
    assert "unreadable_file" in page


def test_the_list_shows_the_users_own_jobs(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    page = manager_client.get("/imports/")
    assert page.status_code == 200 and job.file_name in page.content.decode()
    assert list(page.context["page"]) == [job]


def test_the_resident_list_links_to_the_import(manager_client):
    assert 'href="/imports/new/"' in manager_client.get("/residents/").content.decode()


def test_a_village_outside_the_chosen_station_is_refused(client, nanshan_admin, tmp_path):
    from conftest import SHEKOU, make_site
    from wushe.people.tests.import_sheets import SHEKOU_VILLAGE, person
    from wushe.regions.choices import SiteKind

    shekou = make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")
    client.force_login(nanshan_admin)
    form = client.get("/imports/new/").context["form"]
    assert list(form.fields["station"].queryset) == [shekou]
    rows = [person("张三丰", ZHANG_ID, **{"村(社区)代码": YUEHAI_VILLAGE})]
    job = upload(client, xlsx_upload(tmp_path, rows), station=str(shekou.pk))
    assert job.station == shekou and [e[2] for e in job.errors] == ["village_outside_station"]
    rows = [person("张三丰", ZHANG_ID, **{"村(社区)代码": SHEKOU_VILLAGE})]
    assert upload(client, xlsx_upload(tmp_path, rows), station=str(shekou.pk)).rejected == 0


def test_a_job_row_never_holds_the_sheet(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, rows_with_a_bad_one()))
    stored = ImportJob.objects.filter(pk=job.pk).values().get()
    assert ZHANG_ID not in str(stored) and ZHANG_PHONE not in str(stored)


def test_a_sheet_without_a_good_row_offers_no_import(manager_client, tmp_path):
    from wushe.imports.tests.sheets import ZHAO_ID, bad_check_digit
    from wushe.people.tests.import_sheets import person

    job = upload(manager_client, xlsx_upload(tmp_path, [person("赵六", bad_check_digit(ZHAO_ID))]))
    html = manager_client.get(f"/imports/{job.pk}/").content.decode()
    assert "没有可以导入的行" in html and "/confirm/" not in html
    assert (
        manager_client.post(f"/imports/{job.pk}/confirm/", {"valid_only": "on"}).status_code == 400
    )
