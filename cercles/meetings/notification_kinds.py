from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

MEETING_PLANNED = register(
    "meetings.planned",
    _("New meeting in my communities"),
    _("%(actor)s planned “%(meeting)s” in “%(community)s”"),
    variant_param="meeting_kind",
    variants={
        "regular": _("%(actor)s planned “%(meeting)s” in “%(community)s”"),
        "kick_off": _("%(actor)s planned the kick-off meeting of “%(community)s”: “%(meeting)s”"),
    },
    group="meetings",
    in_digest=False,
)
MEETING_CHANGED = register(
    "meetings.changed",
    _("Meeting moved or cancelled"),
    _("“%(meeting)s” (%(community)s) has changed"),
    variant_param="change",
    variants={
        "moved": _("“%(meeting)s” (%(community)s) has a new date, time or place"),
        "cancelled": _("“%(meeting)s” (%(community)s) has been cancelled"),
    },
    group="meetings",
)
MEETING_MINUTES = register(
    "meetings.minutes",
    _("Minutes of a meeting published"),
    _("%(actor)s published the minutes of “%(meeting)s” (%(community)s)"),
    group="meetings",
    in_digest=False,
)
MEETING_REMINDER = register(
    "meetings.reminder",
    _("Reminder of a meeting the next day"),
    _("Reminder: “%(meeting)s” (%(community)s) starts within 24 hours"),
    # Seed 003: the roles of the session, said in the reminder when they are set.
    variant_param="with_roles",
    variants={
        "no": _("Reminder: “%(meeting)s” (%(community)s) starts within 24 hours"),
        "yes": _(
            "Reminder: “%(meeting)s” (%(community)s) starts within 24 hours; facilitator: "
            "%(facilitator)s, note-taker: %(note_taker)s, time-keeper: %(time_keeper)s"
        ),
    },
    group="meetings",
    personal=True,
)
