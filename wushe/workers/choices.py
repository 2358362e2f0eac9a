from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateLevel(models.TextChoices):
    """职业水平证书: the national social work qualification, by level."""

    NONE = "none", _("No certificate")  # 未持证
    ASSISTANT = "assistant", _("Assistant social worker")  # 助理社会工作师
    INTERMEDIATE = "intermediate", _("Social worker")  # 社会工作师
    SENIOR = "senior", _("Senior social worker")  # 高级社会工作师


CERTIFIED_LEVELS = (
    CertificateLevel.ASSISTANT,
    CertificateLevel.INTERMEDIATE,
    CertificateLevel.SENIOR,
)


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")  # 专职
    PART_TIME = "part_time", _("Part-time")  # 兼职


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", _("Serving")  # 在岗
    LEFT = "left", _("Left")  # 离岗


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school")  # 高中/中专
    COLLEGE = "college", _("College (大专)")  # 大专
    BACHELOR = "bachelor", _("Bachelor's degree")  # 本科
    MASTER = "master", _("Master's degree")  # 硕士
    DOCTOR = "doctor", _("Doctorate")  # 博士


# The first national social work qualification examination was held in 2008.
FIRST_EXAM_YEAR = 2008
MAX_STARS = 5  # 星级社工: one to five stars, 0 for none
MAX_TRAINING_HOURS = 999
NOTE_LENGTH = 2000
