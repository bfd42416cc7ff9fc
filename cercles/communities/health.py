"""The health checklist of a community (GIZ, seed 001): the criteria the core group rates."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# A health review is due this long after the previous one (aligned with the four-monthly
# expectations survey), and at each season's end.
HEALTH_REVIEW_EVERY_DAYS = 120


@dataclass(frozen=True)
class Criterion:
    key: str
    label: object
    help: object


CRITERIA = [
    Criterion("objectives", _("Clear and shared objectives"),
              _("The members know what the community wants to achieve this season.")),
    Criterion("critical_mass", _("Enough people working on the same question"),
              _("Enough active members share the problem to move it forward.")),
    Criterion("moderation", _("A moderator keeping momentum"),
              _("Someone leads, relaunches and keeps the rhythm.")),
    Criterion("meetings", _("Regular meetings"),
              _("The community meets at a rhythm its members can keep.")),
    Criterion("value", _("Members finding value"),
              _("The members say their expectations are met (expectations survey).")),
    Criterion("productions", _("Productions progressing"),
              _("What the community committed to deliver is moving forward.")),
    Criterion("support", _("Support from the members' organisations"),
              _("The members' organisations give them time and means to take part.")),
    Criterion("roles", _("Roles named"),
              _("Lead, co-lead, core group and moderators are known.")),
]  # fmt: skip
CRITERIA_KEYS = [c.key for c in CRITERIA]
