from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

SURVEY_OPENED = register(
    "surveys.opened",
    _("New survey in my communities"),
    _("“%(survey)s” is open in “%(community)s”: your answer is awaited"),
    group="surveys",
)
SURVEY_REMINDER = register(
    "surveys.reminder",
    _("Reminder of a survey I have not answered"),
    _("Reminder: “%(survey)s” (%(community)s) closes on %(closes_on)s"),
    group="surveys",
    personal=True,
)
SURVEY_NEEDS = register(
    "surveys.needs",
    _("New needs expressed in a community I lead"),
    _(
        "The expectations survey of “%(community)s” has closed: "
        "%(count)s needs or requests to consider"
    ),
    group="surveys",
    personal=True,
)
SURVEY_SKIPPED = register(
    "surveys.skipped",
    _("Expectations survey skipped by a community"),
    _("%(actor)s skipped the expectations survey of “%(community)s”"),
    group="coordination",
    personal=True,
    member_only=False,
)
