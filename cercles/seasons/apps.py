from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeasonsConfig(AppConfig):
    name = "cercles.seasons"
    label = "seasons"
    verbose_name = _("Seasons and health reviews")

    def ready(self):
        from cercles.communities import freshness
        from cercles.communities.panels import register_panel

        from .models import Objective, Season

        freshness.track(
            Objective,
            lambda objective: (
                Season.objects.filter(pk=objective.season_id)
                .values_list("community_id", flat=True)
                .first()
            ),
        )
        from cercles.communities.sections import register_section

        from . import notification_kinds, rules  # noqa: F401  (registers kinds and permissions)

        register_section(
            "seasons", _("Seasons"), "seasons:list", permission="seasons.view_seasons", order=45
        )
        from .home import panel_context, settings_context

        register_panel(
            "seasons",
            "seasons/includes/community_panel_body.html",
            context=panel_context,
            zone="main",
            order=60,
            permission="seasons.view_seasons",
        )
        register_panel(
            "seasons_settings", "seasons/includes/settings_panel.html",
            context=settings_context, zone="settings", order=20, permission=None,
        )  # fmt: skip
