from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Social work agency")  # 社工机构
    COMMUNITY = "community", _("Community social organisation")  # 社区社会组织
    VOLUNTEER = "volunteer", _("Volunteer service organisation")  # 志愿服务组织
    CHARITY = "charity", _("Charitable organisation")  # 慈善组织
    OTHER = "other", _("Other")  # 其他


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # 正常
    SUSPENDED = "suspended", _("Suspended")  # 暂停活动
    DEREGISTERED = "deregistered", _("Deregistered")  # 已注销


# Community social organisations are mostly filed (备案) with the street office rather than
# registered with civil affairs, so they often have no credit code; every other type has one.
CODE_OPTIONAL_TYPES = (OrganisationType.COMMUNITY,)
NOTE_LENGTH = 2000
