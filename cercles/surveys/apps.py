from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "cercles.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from cercles.communities.panels import register_panel
        from cercles.communities.sections import register_section
        from cercles.communities.signals import community_state_changed

        from . import notification_kinds, rules  # noqa: F401  (registers kinds and permissions)
        from .digest import register as register_digest_sections
        from .services import on_community_state_changed

        register_section(
            "surveys", _("Surveys"), "surveys:list", permission="surveys.view_surveys", order=60
        )
        register_digest_sections()
        from cercles.home.registry import register_need

        from . import home

        register_panel(
            "surveys",
            "surveys/includes/community_panel_body.html",
            context=home.panel_context,
            zone="main",
            order=15,
            permission="surveys.view_surveys",
        )
        register_need(
            "surveys",
            "surveys/includes/member_panel_body.html",
            context=home.need_context,
            order=20,
        )
        community_state_changed.connect(on_community_state_changed, dispatch_uid="surveys-state")
