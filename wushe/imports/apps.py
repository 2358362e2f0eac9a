from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "wushe.imports"
    label = "imports"
    verbose_name = _("Imports")  # 导入

    def ready(self) -> None:
        # Registers the residents kind; other apps register theirs from their own ready().
        from wushe.imports import residents  # noqa: F401
