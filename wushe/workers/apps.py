from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "wushe.workers"
    label = "workers"
    verbose_name = _("Social workers")  # 社会工作者
