from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

HELP_NEEDED = register(
    "coordination.help_needed",
    _("A community asks the coordinators for help"),
    _("%(actor)s asks for help in a progress update of “%(community)s”"),
    group="coordination",
    personal=True,
    member_only=False,
)

MESSAGE_TO_LEAD = register(
    "coordination.message_to_lead",
    _("A message from the network's coordinators"),
    _("%(actor)s, coordinator, writes to you about “%(community)s”: %(subject)s"),
    group="coordination",
    personal=True,
)

NUDGE = register(
    "coordination.nudge",
    _("A friendly reminder to keep your community's rhythm"),
    _("A friendly reminder about “%(community)s”: a word to the members keeps them together."),
    group="plan",
    personal=True,
    variant_param="flag",
    variants={
        "no_activity": _(
            "Nothing has happened in “%(community)s” for a while: a short message or the date "
            "of the next meeting keeps the members together."
        ),
        "next_steps_stale": _(
            "The next steps of “%(community)s” have not changed for a while: a word about them "
            "helps the members follow."
        ),
        "both": _(
            "“%(community)s” has been quiet for a while and its next steps have not changed: a "
            "short message and the next steps keep the members together."
        ),
    },
)
