from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wushe.people"
    label = "people"
    verbose_name = _("Residents")  # 困难群体建档

    def ready(self) -> None:
        from wushe.people import roles
        from wushe.people.models import Resident

        roles.register("resident", Resident)
