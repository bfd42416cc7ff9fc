from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "cercles.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from .digest import register as register_digest_sections

        register_digest_sections()
        from cercles.communities.sections import register_section

        from . import notification_kinds, rules  # noqa: F401  (registers kinds and permissions)

        register_section(
            "meetings",
            _("Meetings"),
            "meetings:list",
            permission="meetings.view_meetings",
            order=30,
        )
