"""Notification kinds of the action plan: milestones and tasks assigned, then due soon."""

from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

TASK_VOLUNTEERED = register(
    "communities.task_volunteered",
    _("A member takes on a task of my community's plan"),
    _("%(actor)s takes on the task “%(title)s” in “%(community)s”"),
    group="plan",
)

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
    group="plan",
    personal=True,
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
    group="plan",
    personal=True,
)
NEXT_STEPS_REMINDER = register(
    "communities.next_steps_reminder",
    _("Reminder to update the next steps of a community I lead"),
    _("“%(community)s”: your members would like to know what comes next. Update the next steps?"),
    group="plan",
    personal=True,
    in_digest=True,
)

# --- Data: exports and imports ----------------------------------------------------------------

EXPORT_READY = register(
    "community.export_ready",
    _("The export of a community is ready"),
    _("The export of “%(community)s” is ready: download it within 7 days"),
    group="membership",
    personal=True,
    member_only=False,
)
IMPORT_DONE = register(
    "community.import_done",
    _("Invitations of an imported list sent"),
    _("The invitations of your import into “%(community)s” are sent (%(count)s)"),
    group="membership",
    personal=True,
)
LEAD_DELETED = register(
    "community.lead_deleted",
    _("A community lost its lead"),
    _("The account of the lead of “%(community)s” was deleted: the community needs a new lead"),
    group="coordination",
    personal=True,
    member_only=False,
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
    group="reviews",
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
    group="coordination",
    personal=True,
    member_only=False,
)  # fmt: skip

RELAY_NAMED = register(
    "communities.relay_named",
    _("Named relay of a community"),
    _("%(actor)s named you relay of “%(community)s”: you may invite people on its behalf"),
    group="membership",
    personal=True,
)
