from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

NEED_ADDED = register(
    "mentoring.need_added",
    _("A community asks for accompaniment"),
    _("%(actor)s asks for accompaniment in “%(community)s”: %(subject)s"),
    group="coordination",
    personal=True,
    member_only=False,
)
MENTOR_ASSIGNED = register(
    "mentoring.mentor_assigned",
    _("You are asked to accompany a community"),
    _("%(actor)s asks you to accompany “%(community)s” (%(subject)s)"),
    group="coordination",
    personal=True,
    member_only=False,
)
MENTOR_FOUND = register(
    "mentoring.mentor_found",
    _("A mentor accompanies your community"),
    _("%(mentor)s will accompany “%(community)s” (%(subject)s)"),
    group="coordination",
    personal=True,
)
SESSION_LOGGED = register(
    "mentoring.session_logged",
    _("A session of accompaniment is in the log"),
    _("%(actor)s logged a session of accompaniment of “%(community)s”"),
    group="coordination",
    personal=True,
)
