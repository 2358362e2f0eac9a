"""Import jobs: a sheet uploaded through a page or the API, checked, then imported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import ScopedManager
from wushe.imports.choices import ACTIVE, Failure, JobStatus
from wushe.imports.kinds import kind_of


class ImportJob(models.Model):
    """导入任务: one uploaded sheet on its way into the database.

    The sheet itself is never in the database: it waits encrypted in the imports directory
    (``storage``) and is deleted when the job is done or fails, or after ``expires_at``. The
    job keeps what the check and the import found: the counts and the errors (row, column,
    code, both messages), which quote no ID number or phone. ``region`` is the uploader's
    region at upload time (the scope column); ``kind`` names an entry of ``kinds``.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        db_column="region_code",
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30)
    station = models.ForeignKey(
        "regions.Site",
        verbose_name=_("filing station"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_only = models.BooleanField(_("import the valid rows only"), default=False)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.UPLOADED
    )
    failure = models.CharField(_("failure"), max_length=20, choices=Failure.choices, blank=True)
    # Progress of the step under way: the import's stage ("check", "write", "index") and rows.
    stage = models.CharField(max_length=10, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    # What the check found (a dry run) ...
    rows = models.PositiveIntegerField(_("rows"), default=0)
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rows with errors"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # Each error as [row, column, code, Chinese message, English message]; the first
    # ``services.ERRORS_KEPT`` of them, sorted by row.
    errors = models.JSONField(default=list, blank=True)
    # ... and what the import wrote.
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written by the worker as it goes; a busy job whose heartbeat stops is marked failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    file_deleted_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    scope_field = "region_id"
    objects = ScopedManager()

    class Meta:
        verbose_name = _("import job")  # 导入任务
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "created_at"], name="importjob_region_created"),
            models.Index(fields=["owner", "created_at"], name="importjob_owner_created"),
            models.Index(fields=["status", "heartbeat_at"], name="importjob_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def kind_label(self) -> str:
        kind = kind_of(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def has_file(self) -> bool:
        return self.file_deleted_at is None

    @property
    def percent(self) -> float | None:
        if not self.progress_total:
            return None
        return min(100.0, round(100 * self.progress_done / self.progress_total, 1))
