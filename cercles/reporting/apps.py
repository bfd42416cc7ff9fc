from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "cercles.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from cercles.communities.sections import register_section

        from . import rules  # noqa: F401  (registers the permissions)

        register_section("stories", _("Stories"), "reporting:stories", order=70)

        from cercles.seasons.celebration import register_celebration_part

        from .home import celebration_part

        register_celebration_part(
            "stories", "reporting/includes/celebration_stories.html", celebration_part
        )
