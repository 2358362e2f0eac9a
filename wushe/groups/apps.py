from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "wushe.groups"
    label = "groups"
    verbose_name = _("Group work")  # 小组工作
