"""Notification kinds of the action plan: milestones and tasks assigned, then due soon."""

from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

MILESTONE_ASSIGNED = register(
    "communities.milestone_assigned",
    _("A milestone or a task entrusted to me"),
    _("%(actor)s put you in charge of “%(title)s” in “%(community)s”"),
    variant_param="item",
    variants={
        "milestone": _(
            "%(actor)s put you in charge of the milestone “%(title)s” in “%(community)s”"
        ),
        "task": _("%(actor)s entrusted you with the task “%(title)s” in “%(community)s”"),
    },
)
MILESTONE_DUE = register(
    "communities.milestone_due",
    _("A milestone or a task due soon"),
    _("“%(title)s” is due on %(date)s in “%(community)s”"),
    variant_param="item",
    variants={
        "milestone": _("The milestone “%(title)s” of “%(community)s” is due on %(date)s"),
        "task": _("The task “%(title)s” of “%(community)s” is due on %(date)s"),
    },
)
COMMUNITY_CLOSED = register(
    "communities.closed",
    _("A community of mine closes, with its final record"),
    _("“%(community)s” has come to its end: read its final record"),
    variant_param="outcome",
    variants={
        "closed": _(
            "“%(community)s” closes on a high note: thank you! See what we achieved together"
        ),
        "dissolved": _(
            "“%(community)s” comes to an end: thank you for taking part. Read its final record"
        ),
    },
)
HEALTH_DECISION = register(
    "communities.health_decision",
    _("A health review decides to evolve or dissolve a community (coordinators)"),
    _("The health review of “%(community)s” calls for a decision"),
    variant_param="decision",
    variants={
        "evolve": _("%(actor)s's health review of “%(community)s” decided to evolve: its "
                    "framing comes back to review"),
        "dissolve": _("%(actor)s's health review of “%(community)s” decided to dissolve it"),
    },
)  # fmt: skip
