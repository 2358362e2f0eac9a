from django.db import models
from django.utils.translation import gettext_lazy as _

# A group of more sessions than this is a typing mistake, not group work.
MAX_SESSIONS = 200


class GroupStatus(models.TextChoices):
    PLANNED = "planned", _("Being prepared")  # 筹备中
    RUNNING = "running", _("Running")  # 进行中
    ENDED = "ended", _("Ended")  # 已结束
