from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cercles.core"
    label = "core"
