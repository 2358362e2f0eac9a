"""The check and the import in a real thread of the web process, waited for.

A transactional database: the thread has its own connection and sees only what is committed.
The services are called directly rather than through the test client: on SQLite's shared
in-memory test database, a request writing its session while the thread writes the job would
meet a table lock that a real (WAL) database file never raises.
"""

from __future__ import annotations

import time

import pytest
from django.db import OperationalError

from conftest import YUEHAI, make_user
from wushe.accounts.models import Role
from wushe.imports import services, worker
from wushe.imports.models import ImportJob
from wushe.imports.tests.sheets import xlsx_upload
from wushe.people.models import Resident
from wushe.people.tests.import_sheets import good_rows
from wushe.regions import loader


@pytest.fixture
def manager(transactional_db, settings):
    settings.WUSHE_IMPORTS_IN_BACKGROUND = True
    settings.WUSHE_IMPORTS_PROGRESS_SECONDS = 0.05
    # A transactional database starts empty: load the real regions of 南山区.
    loader.load(loader.read_rows("440305"))
    return make_user("yuehai_manager", YUEHAI, Role.MANAGER)


def test_the_check_and_the_import_run_in_a_thread_and_report_progress(manager, tmp_path):
    job = services.job_create(
        actor=manager, kind="residents", upload=xlsx_upload(tmp_path, good_rows())
    )
    assert job.status == "uploaded"  # the request returns at once; the thread checks
    assert worker.wait(job.pk, timeout=60)
    job.refresh_from_db()
    assert (job.status, job.to_create, job.rejected) == ("checked", 3, 0)
    assert not Resident.objects.exists()
    job = services.job_confirm(actor=manager, job=job)
    assert job.status == "running"
    assert worker.wait(job.pk, timeout=60)
    job = ImportJob.objects.get(pk=job.pk)
    assert (job.status, job.created_count, job.file_deleted_at is not None) == ("done", 3, True)
    assert Resident.objects.count() == 3
    assert worker.wait(job.pk) is True  # nothing left running

    # PostgreSQL reports the write stage from a thread of its own: drive one here, on any database.
    _report_progress_from_a_thread(job)


def _report_progress_from_a_thread(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status="running", progress_done=0)
    reporter = worker._ThreadedReporter(job.pk)
    reporter.update("write", 40, 160)
    try:
        for _attempt in range(250):
            try:
                job.refresh_from_db()
            except OperationalError:  # SQLite's shared test database, mid-write
                continue
            if job.progress_done == 40:
                break
            time.sleep(0.02)
    finally:
        reporter.stop()
    assert (job.stage, job.progress_done, job.progress_total) == ("write", 40, 160)
