"""Notification kinds of seasons: the celebration of a season, and the reminders of the rhythm."""

from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

CELEBRATION = register(
    "seasons.celebration",
    _("A season of my communities is celebrated"),
    _("“%(season)s” of “%(community)s” is over: see what we achieved together"),
    group="reviews",
)
REMINDER = register(
    "seasons.reminder",
    _("Reminders of a community I lead: seasons, health reviews, end of life, final record"),
    _("A reminder about “%(community)s”"),
    variant_param="about",
    variants={
        "end_of_life": _("“%(community)s” reaches its planned end on %(date)s: prepare its "
                         "closing, or a new season"),
        "season_ends": _("“%(season)s” of “%(community)s” ends on %(date)s: time to prepare "
                         "its review"),
        "season_ended": _("“%(season)s” of “%(community)s” has ended: write its review and "
                          "celebrate it"),
        "health_due": _("The health review of “%(community)s” is due: rate the checklist "
                        "with the core group"),
        "record_missing": _("“%(community)s” has ended but its final record is not written "
                            "yet"),
    },
    group="plan",
    personal=True,
)  # fmt: skip
