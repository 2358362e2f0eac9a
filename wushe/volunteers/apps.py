from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "wushe.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")  # 志愿者

    def ready(self) -> None:
        from wushe.people import roles
        from wushe.volunteers.models import Volunteer

        # A volunteer is one of a person's roles, by the same keyed ID hash as a resident.
        roles.register("volunteer", Volunteer)
