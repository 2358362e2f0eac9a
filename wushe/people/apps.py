from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wushe.people"
    label = "people"
    verbose_name = _("Residents")  # 困难群体建档
