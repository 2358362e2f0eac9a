from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "wushe.activities"
    label = "activities"
    verbose_name = _("Community activities")  # 社区活动
