from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
