"""Expired sheets are deleted, dead workers' jobs fail, orphan directories go."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from wushe.imports import conf, storage
from wushe.imports.models import ImportJob
from wushe.imports.tests.sheets import upload, xlsx_upload
from wushe.people.models import Resident
from wushe.people.tests.import_sheets import good_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def expire(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def test_the_purge_command_deletes_an_expired_sheet_and_fails_its_job(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    kept = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    expire(job)
    out = StringIO()
    call_command("imports", "purge", stdout=out)
    assert out.getvalue().startswith("1 expired files deleted, 0 stopped jobs marked failed")
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "expired") and job.file_deleted_at
    assert not storage.job_dir(job.pk).exists() and storage.job_dir(kept.pk).exists()
    response = manager_client.post(f"/imports/{job.pk}/confirm/")
    assert response.status_code == 400 and not Resident.objects.exists()


def test_an_upload_purges_expired_sheets_in_passing(manager_client, tmp_path):
    old = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    expire(old)
    upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    assert not storage.job_dir(old.pk).exists()
    assert ImportJob.objects.get(pk=old.pk).failure == "expired"


def test_a_job_whose_worker_fell_silent_is_failed_when_found(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    long_ago = timezone.now() - timedelta(seconds=conf.stale_seconds() + 1)
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=long_ago)
    page = manager_client.get(f"/imports/{job.pk}/")
    job.refresh_from_db()
    assert (job.status, job.failure) == ("failed", "worker_stopped")
    assert not storage.job_dir(job.pk).exists()
    assert "服务器可能已重启" in page.content.decode()


def test_a_busy_job_with_a_recent_heartbeat_is_left_alone(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    manager_client.get("/imports/")
    job.refresh_from_db()
    assert job.status == "running" and storage.job_dir(job.pk).exists()


def test_an_import_under_way_keeps_its_sheet_past_the_expiry(manager_client, tmp_path):
    job = upload(manager_client, xlsx_upload(tmp_path, good_rows()))
    ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    expire(job)
    call_command("imports", "purge", stdout=StringIO())
    assert storage.job_dir(job.pk).exists()


def test_an_old_directory_without_a_job_is_removed(settings):
    orphan, fresh = storage.job_dir(424242), storage.job_dir(434343)
    for folder in (orphan, fresh):
        folder.mkdir(parents=True)
    an_hour_ago = time.time() - 3601
    os.utime(orphan, (an_hour_ago, an_hour_ago))
    call_command("imports", "purge", stdout=StringIO())
    assert not orphan.exists() and fresh.exists()  # a fresh one may be a job being created
