"""Running a job's steps, the check and the import, away from the request that asked for them.

THREADING DESIGN. A step runs in a daemon thread of the web process that received the upload
or the confirmation: no queue or worker service to deploy, which suits a station's single
server. The thread starts when the request's transaction has committed (``on_commit``), so it
finds the job row; it runs in a copy of the request's context, so the import's audit entry
carries the client's address; it opens its own database connections and closes them at the
end. Each step records its outcome through ``services`` and, whatever happens, deletes the
uploaded sheet when the job is done or fails.

A thread dies with its process (a restart, a deploy, a crash). Then the job stays "uploaded"
or "running" with a heartbeat that no longer moves, and the next page, API call or purge that
looks at jobs marks it failed (``services.jobs_fail_stale``, after ``conf.stale_seconds``).
The import writes in one transaction, so a worker that died wrote nothing.

Progress and heartbeat go to the job row, every ``conf.progress_seconds``:

- on PostgreSQL, from a reporter thread with its own connection, outside the import's
  transaction: progress and heartbeat keep moving while the rows are written (the import
  never locks the job row);
- on SQLite, which has one writer at a time and whose lock the import's transaction holds
  while it writes, from the worker itself between chunks of the check; the write stage shows
  no progress, and must finish within ``conf.stale_seconds``.

With ``conf.in_background()`` False (the tests), a step runs at once in the caller, so the
whole flow is testable in one transaction; ``wait`` joins a thread for the test that uses one.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
import traceback

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from wushe.imports import conf, services, storage
from wushe.imports.choices import ACTIVE, Failure
from wushe.imports.kinds import kind_of
from wushe.imports.models import ImportJob

CHECK, IMPORT = "check", "import"

logger = logging.getLogger(__name__)
_threads: dict[int, threading.Thread] = {}
_threads_lock = threading.Lock()


def launch(job_id: int, step: str) -> bool:
    """Run the step, or have a thread run it; True when it has run (the job row changed)."""
    if not conf.in_background():
        run(job_id, step)
        return True
    transaction.on_commit(lambda: _start_thread(job_id, step))
    return False


def wait(job_id: int, timeout: float | None = None) -> bool:
    """Wait for the job's thread in this process, if any; False if it is still running."""
    with _threads_lock:
        thread = _threads.get(job_id)
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def _start_thread(job_id: int, step: str) -> None:
    context = contextvars.copy_context()
    thread = threading.Thread(
        target=context.run, args=(_thread_main, job_id, step), name=f"import-{job_id}", daemon=True
    )
    with _threads_lock:
        _threads[job_id] = thread
    thread.start()


def _thread_main(job_id: int, step: str) -> None:
    try:
        run(job_id, step)
    finally:
        connections.close_all()  # this thread's connections only
        with _threads_lock:
            if _threads.get(job_id) is threading.current_thread():
                del _threads[job_id]


def run(job_id: int, step: str) -> None:
    job = ImportJob.objects.select_related("owner", "station").filter(pk=job_id).first()
    if job is None or job.status not in ACTIVE:
        return  # deleted, or marked failed (stale) before this thread got going
    reporter = _reporter(job_id)
    try:
        _run_step(job, step, reporter)
    except Exception as error:  # noqa: BLE001 - any failure must end the job, not leave it busy
        _log(job_id, step, error)
        services.job_failed(job, Failure.ERROR)
    finally:
        reporter.stop()


def _run_step(job: ImportJob, step: str, reporter: _Reporter) -> None:
    kind = kind_of(job.kind)
    try:
        source = storage.load(job.pk)
    except storage.StoredFileError:
        services.job_failed(job, Failure.FILE_LOST)
        return
    try:
        result = kind.run(
            actor=job.owner,
            source=source,
            file_name=job.file_name,
            station=job.station,
            dry_run=step == CHECK,
            valid_only=job.valid_only,
            progress=reporter.update,
        )
    except (PermissionDenied, ValidationError):
        services.job_failed(job, Failure.REFUSED)
        return
    finally:
        source.close()
    reporter.stop()  # before the final state, so no late progress write follows it
    if step == CHECK:
        services.job_checked(job, result)
    else:
        services.job_imported(job, result)


def _log(job_id: int, step: str, error: Exception) -> None:
    # The type and the stack, not the message: a message may quote a cell of the sheet.
    stack = "".join(traceback.format_tb(error.__traceback__))
    logger.error("import job %s: %s failed with %s\n%s", job_id, step, type(error).__name__, stack)


def _reporter(job_id: int) -> _Reporter:
    if conf.in_background() and connection.vendor == "postgresql":
        return _ThreadedReporter(job_id)
    return _Reporter(job_id)


class _Reporter:
    """Writes the latest progress to the job row from the worker itself, during the check
    (outside any transaction of the import), at most every ``conf.progress_seconds``."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.latest: tuple[str, int, int | None] = ("check", 0, None)
        self.written_at = 0.0

    def update(self, stage: str, done: int, total: int | None) -> None:
        self.latest = (stage, done, total)
        due = time.monotonic() - self.written_at >= conf.progress_seconds()
        if stage == "check" and (due or done == total):
            self.write()

    def write(self) -> None:
        stage, done, total = self.latest
        self.written_at = time.monotonic()
        ImportJob.objects.filter(pk=self.job_id, status__in=ACTIVE).update(
            stage=stage,
            progress_done=done,
            progress_total=total,
            heartbeat_at=timezone.now(),
        )

    def stop(self) -> None:
        pass


class _ThreadedReporter(_Reporter):
    """Writes the latest progress from a thread of its own, with its own connection."""

    def __init__(self, job_id: int) -> None:
        super().__init__(job_id)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"import-{job_id}-progress")
        self._thread.daemon = True
        self._thread.start()

    def update(self, stage: str, done: int, total: int | None) -> None:
        self.latest = (stage, done, total)  # one assignment: the loop reads a whole tuple

    def _loop(self) -> None:
        try:
            while not self._stopped.wait(conf.progress_seconds()):
                try:
                    self.write()
                except DatabaseError:
                    pass  # a busy database: the next tick tries again
        finally:
            connections.close_all()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
