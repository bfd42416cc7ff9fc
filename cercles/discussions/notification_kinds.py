"""What discussions notify: replies in followed threads, mentions, co-development, moderation."""

from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

NEW_THREAD = register(
    "discussions.new_thread",
    _("New thread in my communities"),
    _("%(actor)s started “%(thread)s” (%(community)s)"),
    variant_param="thread_kind",
    variants={
        "discussion": _("%(actor)s started “%(thread)s” (%(community)s)"),
        "codev": _(
            "%(actor)s presented a problem for co-development: “%(thread)s” (%(community)s)"
        ),
    },
    group="discussions",
    # The digests list new threads in a section of their own.
    in_digest=False,
)
REPLY = register(
    "discussions.reply",
    _("Reply in a thread I follow"),
    _("%(actor)s replied in “%(thread)s” (%(community)s)"),
    group="discussions",
    personal=True,
)
MENTIONED = register(
    "discussions.mentioned",
    _("Mention of my name in a discussion"),
    _("%(actor)s mentioned you in “%(thread)s” (%(community)s)"),
    group="mentions",
    personal=True,
)
SUGGESTION = register(
    "discussions.suggestion",
    _("Suggestion on the problem I presented"),
    _("%(actor)s posted a suggestion on your co-development problem “%(thread)s” (%(community)s)"),
    group="mentions",
    personal=True,
)
SESSION_CLOSED = register(
    "discussions.session_closed",
    _("Follow-up of a co-development session I follow"),
    _(
        "%(actor)s shared what they did after the co-development session “%(thread)s” "
        "(%(community)s)"
    ),
    group="discussions",
    personal=True,
)
SUGGESTIONS_CLOSED = register(
    "discussions.suggestions_closed",
    _("Suggestions closed on the problem I presented"),
    _(
        "“%(community)s”: suggestions on “%(thread)s” are closed; mark those that helped, and "
        "tell your peers what you did on %(date)s"
    ),
    group="mentions",
    personal=True,
)
FOLLOW_UP_DUE = register(
    "discussions.follow_up_due",
    _("Reminder of a co-development follow-up"),
    _("“%(community)s”: tell your peers what you did after “%(thread)s” and what came of it"),
    group="mentions",
    personal=True,
)
REPORTED = register(
    "discussions.reported",
    _("Post reported in a community I moderate"),
    _("%(actor)s reported a post in “%(thread)s” (%(community)s)"),
    group="mentions",
    personal=True,
)
HIDDEN = register(
    "discussions.hidden",
    _("Moderation of my posts"),
    _("%(actor)s hid your post in “%(thread)s” (%(community)s)"),
    group="mentions",
    personal=True,
)
