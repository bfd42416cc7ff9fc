from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cercles.core"
    label = "core"

    def ready(self):
        from .audit import register_actions
        from .lookups import install

        install()

        register_actions({"backup.restored": _("Backup restored")})
