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
        from cercles.communities.panels import register_panel, register_shortcut

        from .home import latest_update_panel

        register_panel(
            "latest_update", "coordination/includes/home_update.html",
            context=latest_update_panel, order=40,
        )  # fmt: skip

        register_shortcut(
            "update", _("Post an update"), "updates:new",
            permission="coordination.post_update", order=30,
        )  # fmt: skip

        from . import nudges, signals  # noqa: F401  (nudges adds its dashboard column)

        signals.connect()

        # The practice-analysis workshops' agenda on the leads' circle's home.
        register_panel(
            "workshop_agenda", "coordination/includes/workshop_agenda.html",
            context=lambda request, community, can: (
                {"leads_circle": True} if community.is_leads_circle else None
            ),
            order=20,
        )  # fmt: skip
