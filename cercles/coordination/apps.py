from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "cercles.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from cercles.communities.sections import register_section

        from . import notification_kinds  # noqa: F401  (listed on the settings page)

        register_section("updates", _("Updates"), "updates:list", order=60)

        from cercles.notifications.sending import register_renderer

        from .newsletter import render_copies

        register_renderer("newsletter", render_copies)

        from . import nudges, signals  # noqa: F401  (nudges adds its dashboard column)

        signals.connect()
