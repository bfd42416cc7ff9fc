from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "cercles.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from cercles.communities.sections import register_section
        from cercles.communities.signals import community_state_changed

        from . import notification_kinds, rules  # noqa: F401  (registers kinds and permissions)
        from .digest import register as register_digest_sections
        from .services import on_community_state_changed

        register_section(
            "surveys", _("Surveys"), "surveys:list", permission="surveys.view_surveys", order=60
        )
        register_digest_sections()
        community_state_changed.connect(on_community_state_changed, dispatch_uid="surveys-state")
