"""Import jobs: upload, confirm, record what the worker found, purge. Pages, the API, the
worker and ``wushe imports purge`` call these.

A job goes uploaded → checked → running → done, or failed from any of them. The check is the
kind's import in dry-run mode; the import runs it again for real, so a sheet that went bad
meanwhile (someone filed one of its people) writes nothing. Whatever happens, the uploaded
sheet is deleted when the job is done or fails, and at the latest ``conf.keep_hours`` after
the upload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.imports import conf, selectors, storage, worker
from wushe.imports.choices import ACTIVE, Failure, JobStatus
from wushe.imports.kinds import Outcome, kind_of
from wushe.imports.models import ImportJob
from wushe.regions.models import Site

JOB = "imports.importjob"
EXTENSIONS = (".xlsx", ".csv")
# Errors kept per job for the page, the API and the downloaded report; a sheet with more is
# wrong throughout (a column shifted, a wrong file) and is fixed from the first ones.
ERRORS_KEPT = 10_000
# An orphan directory (its job deleted) is removed once it is this old.
ORPHAN_SECONDS = 3600


def job_create(
    *,
    actor,
    kind: str,
    upload,
    station: Site | None = None,
    valid_only: bool = False,
    too_large: bool = False,
) -> ImportJob:
    """Keep ``upload`` encrypted and start its check. ``too_large``: the upload was cut off."""
    jobs_purge()  # opportunistic: each upload clears what has expired
    import_kind = kind_of(kind)
    if import_kind is None:
        raise ValidationError({"kind": _("Unknown kind of import.")}, code="unknown_kind")
    if not actor.region_id or not import_kind.may_import(actor):
        audit_denied(actor=actor, action=Action.CREATE, object_type=JOB)
        raise PermissionDenied(_("Your role cannot import this."))
    errors = {}
    file_error = _file_error(upload, too_large)
    if file_error:
        errors["file"] = file_error
    if import_kind.takes_station:
        if station is None:
            station = selectors.default_station(user=actor)
        elif not selectors.station_choices(user=actor).filter(pk=station.pk).exists():
            errors["station"] = _("No such station.")
    else:
        station = None
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    job = ImportJob.objects.create(
        owner=actor,
        region_id=actor.region_id,
        kind=kind,
        station=station,
        valid_only=valid_only,
        file_name=PurePath(upload.name).name[:255],
        file_size=upload.size,
        stage="check",
        heartbeat_at=now,
        expires_at=now + timedelta(hours=conf.keep_hours()),
    )
    try:
        storage.store(job.pk, upload)
    except OSError:
        job_failed(job, Failure.FILE_LOST)
        raise
    if worker.launch(job.pk, worker.CHECK):
        job.refresh_from_db()
    return job


def _file_error(upload, too_large: bool) -> str | None:
    limit = conf.max_bytes() >> 20 or 1
    if too_large or (upload is not None and upload.size > conf.max_bytes()):
        return _(
            "The file is larger than %(limit)s MB: split it into several files, or ask an "
            "administrator to import it with the wushe import command."
        ) % {"limit": limit}
    if upload is None:
        return _("Choose the file to import.")
    if PurePath(upload.name).suffix.lower() not in EXTENSIONS:
        return _(
            "Upload an Excel workbook (.xlsx) or a CSV file (.csv): save the sheet in one of "
            "these formats from Excel first."
        )
    return None


def job_confirm(*, actor, job: ImportJob, valid_only: bool | None = None) -> ImportJob:
    """Start the import of a checked job; only its uploader may. ``valid_only`` may be chosen
    now, when the check found bad rows."""
    if job.owner_id != actor.pk:
        audit_denied(actor=actor, action=Action.UPDATE, object_type=JOB, object_id=job.pk)
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    valid_only = job.valid_only if valid_only is None else valid_only or job.valid_only
    _check_confirmable(job, valid_only)
    now = timezone.now()
    started = ImportJob.objects.filter(pk=job.pk, status=JobStatus.CHECKED).update(
        status=JobStatus.RUNNING,
        valid_only=valid_only,
        started_at=now,
        heartbeat_at=now,
        stage="check",
        progress_done=0,
        progress_total=None,
    )
    if not started:  # confirmed twice at once: the second one loses
        raise ValidationError(_("This file is already being imported."), code="state")
    job.refresh_from_db()  # before the thread starts: from then on the worker owns the row
    if worker.launch(job.pk, worker.IMPORT):
        job.refresh_from_db()
    return job


def _check_confirmable(job: ImportJob, valid_only: bool) -> None:
    if job.status != JobStatus.CHECKED:
        raise ValidationError(_("This file cannot be imported now."), code="state")
    if job.expires_at <= timezone.now() or not job.has_file:
        raise ValidationError(
            _("The file waited too long for confirmation and was deleted: upload it again."),
            code="expired",
        )
    if job.rejected and not valid_only:
        raise ValidationError(
            {
                "valid_only": ngettext(
                    "%(count)s row has errors, so nothing would be written. Fix the file and "
                    "upload it again, or import the valid rows only.",
                    "%(count)s rows have errors, so nothing would be written. Fix the file "
                    "and upload it again, or import the valid rows only.",
                    job.rejected,
                )
                % {"count": job.rejected}
            },
            code="bad_rows",
        )
    if not job.to_create and not job.to_update:
        raise ValidationError(
            _("Nothing to import: no row would create or change a file."), code="nothing"
        )


# What the worker found -------------------------------------------------------------------------


def job_checked(job: ImportJob, result: Outcome) -> None:
    """Record the check; a file that cannot be read at all fails the job there."""
    _keep_findings(job, result)
    job.sha256 = result.sha256
    job.rows, job.to_create, job.to_update = result.rows, result.to_create, result.to_update
    job.unchanged, job.rejected = result.unchanged, result.rejected
    job.progress_done = job.progress_total = result.rows  # every row handled
    job.checked_at = timezone.now()
    if result.fatal:
        job_failed(job, Failure.UNREADABLE)
        return
    job.status = JobStatus.CHECKED
    job.stage = ""
    job.save()


def job_imported(job: ImportJob, result: Outcome) -> None:
    """Record the import. Written (or nothing to change): done; refused as a whole: failed."""
    _keep_findings(job, result)
    job.created_count, job.updated_count = result.created, result.updated
    job.unchanged, job.rejected = result.unchanged, result.rejected
    job.progress_done = job.progress_total = result.rows
    if result.written or result.ok:
        _finish(job, JobStatus.DONE)
    else:
        job_failed(job, Failure.CHANGED)


def job_failed(job: ImportJob, failure: str) -> None:
    job.failure = failure
    _finish(job, JobStatus.FAILED)


def _finish(job: ImportJob, status: str) -> None:
    """The final state, written whatever a stale-job sweep wrote meanwhile: a slow worker that
    was taken for dead still tells the truth about what it wrote."""
    now = timezone.now()
    storage.discard(job.pk)
    job.status, job.stage, job.finished_at = status, "", now
    job.file_deleted_at = job.file_deleted_at or now
    job.save()


def _keep_findings(job: ImportJob, result: Outcome) -> None:
    errors = result.report.sorted()
    job.error_count = len(errors)
    job.errors = [
        [error.row, error.column, error.code, error.message_zh, error.message_en]
        for error in errors[:ERRORS_KEPT]
    ]


# Clearing up -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purged:
    expired: int  # files of jobs past expires_at deleted
    stale: int  # busy jobs whose worker fell silent, marked failed
    orphans: int  # directories left by deleted jobs


def jobs_fail_stale(now: datetime | None = None) -> int:
    """Mark failed the busy jobs whose heartbeat stopped: their worker died (a restart)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=conf.stale_seconds())
    stale = ImportJob.objects.filter(status__in=ACTIVE, heartbeat_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    # The same condition again: a job that sent its heartbeat since the read is left alone.
    count = stale.filter(pk__in=ids).update(
        status=JobStatus.FAILED,
        failure=Failure.WORKER_STOPPED,
        stage="",
        finished_at=now,
        file_deleted_at=now,
    )
    failed = ImportJob.objects.filter(pk__in=ids, failure=Failure.WORKER_STOPPED)
    for job_id in failed.values_list("pk", flat=True):
        storage.discard(job_id)
    return count


def jobs_purge(now: datetime | None = None) -> Purged:
    """Delete the files of expired jobs (a job waiting for confirmation then fails), mark
    stale jobs failed, and remove directories whose job is gone."""
    now = now or timezone.now()
    stale = jobs_fail_stale(now)
    expired = ImportJob.objects.filter(expires_at__lte=now, file_deleted_at__isnull=True)
    expired = expired.exclude(status=JobStatus.RUNNING)  # an import under way keeps its file
    ids = list(expired.values_list("pk", flat=True))
    for job_id in ids:
        storage.discard(job_id)
    waiting = ImportJob.objects.filter(pk__in=ids, status__in=ACTIVE + (JobStatus.CHECKED,))
    waiting.update(status=JobStatus.FAILED, failure=Failure.EXPIRED, stage="", finished_at=now)
    ImportJob.objects.filter(pk__in=ids).update(file_deleted_at=now)
    found = {pk for pk in storage.stored_job_ids(ORPHAN_SECONDS) if pk < 2**63}
    orphans = found - set(ImportJob.objects.filter(pk__in=found).values_list("pk", flat=True))
    for job_id in orphans:
        storage.discard(job_id)
    return Purged(expired=len(ids), stale=stale, orphans=len(orphans))
