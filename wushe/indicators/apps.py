from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "wushe.indicators"
    label = "indicators"
    verbose_name = _("Indicators and targets")  # 指标与目标

    def ready(self) -> None:
        from wushe.indicators import elements, importing

        elements.register_builtin()
        importing.register_kind()
