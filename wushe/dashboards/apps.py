from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "wushe.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards and reports")  # 数据看板与月报
