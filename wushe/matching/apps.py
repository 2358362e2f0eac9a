from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "wushe.matching"
    label = "matching"
    verbose_name = _("Three lists and matching")  # 三清单与供需对接
