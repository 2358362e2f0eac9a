from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """uploaded → checked → running → done, or failed from any of them."""

    UPLOADED = "uploaded", _("Being checked")  # 已上传，检查中
    CHECKED = "checked", _("Checked")  # 已检查，待确认
    RUNNING = "running", _("Importing")  # 导入中
    DONE = "done", _("Done")  # 已完成
    FAILED = "failed", _("Failed")  # 失败


# A worker is busy with a job in these states (and sends its heartbeat).
ACTIVE = (JobStatus.UPLOADED, JobStatus.RUNNING)


class Failure(models.TextChoices):
    """Why a job failed; the label is what the page says."""

    UNREADABLE = "unreadable", _("The file cannot be imported: see the errors below.")
    CHANGED = (
        "changed",
        _(
            "The check found new errors when the import ran (someone changed residents' files "
            "meanwhile): nothing was written. Look at the errors and upload the file again."
        ),
    )
    REFUSED = (
        "refused",
        _(
            "You may no longer import this file (your role or the filing station changed): "
            "nothing was written."
        ),
    )
    EXPIRED = (
        "expired",
        _("The file waited too long for confirmation and was deleted: upload it again."),
    )
    WORKER_STOPPED = (
        "worker_stopped",
        _(
            "The job stopped unexpectedly (the server may have restarted): nothing was written. "
            "Upload the file again."
        ),
    )
    FILE_LOST = (
        "file_lost",
        _("The stored file is missing or damaged: nothing was written. Upload it again."),
    )
    ERROR = "error", _("An unexpected error stopped the job: nothing was written.")
