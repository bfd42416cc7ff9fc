from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "cercles.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from cercles.accounts import personal_data
        from cercles.communities.sections import register_section

        from . import data, rules  # noqa: F401  (registers the permissions)

        personal_data.register(
            "reporting",
            _("The value-creation stories you told"),
            description=_("they stay with their communities if you leave"),
            export=data.export_personal,
            order=60,
        )

        register_section("stories", _("Stories"), "reporting:stories", order=70)

        from . import dashboard

        dashboard.register()

        from cercles.notifications.sending import register_renderer
        from cercles.seasons.celebration import register_celebration_part

        from .mailing import render_copies

        register_renderer("quarterly_report", render_copies)

        from .home import celebration_part

        register_celebration_part(
            "stories", "reporting/includes/celebration_stories.html", celebration_part
        )
