from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "wushe.workers"
    label = "workers"
    verbose_name = _("Social workers")  # 社会工作者

    def ready(self) -> None:
        from wushe.people import roles
        from wushe.workers.models import SocialWorker

        # A social worker is one of a person's roles, by the same keyed ID hash as a resident.
        roles.register("social_worker", SocialWorker)
