from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "cercles.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from cercles.accounts import personal_data
        from cercles.communities import freshness
        from cercles.communities.exports import register_export_part
        from cercles.communities.sections import register_section
        from cercles.core.audit import register_actions

        from . import data, notification_kinds, rules  # noqa: F401  (registers kinds and permissions)
        from .models import Attendance

        # A season's celebration and the health review's facts count who attended.
        freshness.track_through(Attendance, "meeting")

        register_export_part(
            "meetings",
            _("the meetings: agenda and minutes in Markdown, an .ics file each"),
            data.write_meetings,
            permission="meetings.view_meetings",
            order=30,
        )
        personal_data.register(
            "meetings",
            _("Your answers to meeting invitations and your attendance"),
            export=data.export_personal,
            erase=data.erase_personal,
            order=30,
        )
        register_actions({"meeting.cancelled": _("Meeting cancelled")})

        register_section(
            "meetings",
            _("Meetings"),
            "meetings:list",
            permission="meetings.view_meetings",
            order=30,
        )
        from .digest import register as register_digest_sections

        register_digest_sections()
        from cercles.communities.panels import register_panel, register_shortcut

        from .home import next_meeting_panel

        register_panel(
            "next_meeting", "meetings/includes/home_next_meeting.html",
            context=next_meeting_panel, order=10, permission="meetings.view_meetings",
        )  # fmt: skip

        register_shortcut(
            "meeting", _("Plan a meeting"), "meetings:create",
            permission="meetings.plan_meeting", order=10,
        )  # fmt: skip
