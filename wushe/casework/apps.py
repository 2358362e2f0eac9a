from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "wushe.casework"
    label = "casework"
    verbose_name = _("Service work")  # 服务工作：入户走访、个案、小组、社区活动
