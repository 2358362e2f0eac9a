from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "wushe.charity"
    label = "charity"
    verbose_name = _("Charity resources")  # 社会慈善资源

    def ready(self) -> None:
        from wushe.charity.models import Donor
        from wushe.people import roles

        # A person donor is one of a person's roles, by the same keyed ID hash as a resident.
        roles.register("donor", Donor)
