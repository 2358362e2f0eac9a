"""What a job records when its step goes wrong, and the progress it reports."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from conftest import FUTIAN, make_user
from wushe.accounts.models import Role
from wushe.imports import kinds, storage, worker
from wushe.imports.residents import RESIDENTS
from wushe.imports.tests.sheets import upload, xlsx_upload
from wushe.people.models import Resident
from wushe.people.services import resident_file
from wushe.people.tests.import_sheets import ZHANG_ID, good_rows
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def test_a_failing_step_fails_the_job_and_logs_no_cell(
    manager_client, tmp_path, monkeypatch, caplog
):
    def boom(**kwargs):
        raise ValueError("a cell: " + ZHANG_ID)

    monkeypatch.setitem(kinds._KINDS, "residents", dataclasses.replace(RESIDENTS, run=boom))
    with caplog.at_level(logging.ERROR, logger="wushe.imports.worker"):
        job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    assert (job.status, job.failure) == ("failed", "error")
    assert not storage.job_dir(job.pk).exists()
    assert "ValueError" in caplog.text and ZHANG_ID not in caplog.text


def test_a_person_filed_elsewhere_after_the_check_fails_the_import(
    manager_client, tmp_path, futian_admin
):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    assert job.status == "checked" and job.rejected == 0
    resident_file(  # 福田 files 张三丰 before 粤海 confirms
        actor=futian_admin,
        name="张三丰",
        id_number=ZHANG_ID,
        region=Region.objects.get(code=f"{FUTIAN[:6]}002016"),
    )
    manager_client.post(f"/imports/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "changed")
    assert [error[2] for error in job.errors] == ["filed_elsewhere"]
    assert Resident.objects.count() == 1  # only 福田's file: nothing of the sheet was written
    assert not storage.job_dir(job.pk).exists()


def test_an_uploader_who_lost_the_right_to_import_gets_a_refusal(
    manager_client, yuehai_manager, tmp_path
):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    yuehai_manager.role = Role.AUDITOR
    yuehai_manager.save()
    worker.run(job.pk, worker.IMPORT)  # as if confirmed just before the change
    job.refresh_from_db()
    assert job.status == "checked"  # run() only runs busy jobs
    job.status = "running"
    job.save()
    worker.run(job.pk, worker.IMPORT)
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "refused") and not Resident.objects.exists()


def test_the_check_reports_its_progress_on_the_job(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100.0)


def test_the_status_fragment_polls_a_busy_job_and_reloads_the_page_when_it_is_over(
    manager_client, tmp_path
):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    job.status, job.stage, job.progress_done, job.progress_total = "running", "write", 40, 160
    job.save()
    busy = manager_client.get(f"/imports/{job.pk}/status/", HTTP_HX_REQUEST="true")
    html = busy.content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40" max="160"' in html
    assert "正在写入" in html and "HX-Refresh" not in busy
    assert 'hx-get="/imports/' in manager_client.get(f"/imports/{job.pk}/").content.decode()
    job.status = "done"
    job.save()
    over = manager_client.get(f"/imports/{job.pk}/status/", HTTP_HX_REQUEST="true")
    assert over["HX-Refresh"] == "true" and "hx-trigger" not in over.content.decode()


def test_a_worker_finds_a_deleted_job_and_does_nothing(yuehai_manager):
    worker.run(10**9, worker.CHECK)
    assert not Resident.objects.exists()


def test_a_job_whose_file_is_lost_fails_so(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    storage.discard(job.pk)
    job.status = "running"
    job.save()
    worker.run(job.pk, worker.IMPORT)
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "file_lost")


def test_an_administrator_above_township_level_files_without_a_station(
    client, tmp_path, nanshan_admin
):
    client.force_login(nanshan_admin)
    job = upload(client, xlsx_upload(tmp_path, good_rows()))
    assert job.station is None and job.status == "checked"


def test_a_township_files_for_its_station_and_a_village_for_none(
    client, tmp_path, yuehai_manager, yuehai_station
):
    client.force_login(yuehai_manager)
    assert "由粤海街道社工站为这些居民建档" in client.get("/imports/new/").content.decode()
    assert upload(client, xlsx_upload(tmp_path, good_rows())).station == yuehai_station
    # The township's station is outside a village worker's subtree: the rows have no station.
    client.force_login(make_user("kejiyuan_worker", "440305007003", Role.WORKER))
    job = upload(client, xlsx_upload(tmp_path, good_rows()))
    assert job.station is None and job.status == "checked"
