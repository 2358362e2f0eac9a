from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "wushe.charity"
    label = "charity"
    verbose_name = _("Charity resources")  # 社会慈善资源
