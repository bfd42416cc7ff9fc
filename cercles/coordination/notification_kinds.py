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
