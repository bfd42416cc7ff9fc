"""The archive rule: nothing is writable in an archived community.

One predicate (`rules.is_writable`) is combined into every write permission of every app, and one
guard (`ensure_writable`) opens every write service, so that a form, a forged address, the API,
a command or a job all meet the same refusal, with the same explanation.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .lifecycle import State

# Where each kind of object keeps the community it belongs to, tried in this order.
_PARENTS = ("community", "thread", "milestone", "survey", "meeting", "season", "post", "version")


def community_of(obj):
    """The community of a community, or of anything that belongs to one (a thread, a post, a
    meeting, a library item, a survey, a task…); None when there is none."""
    from .models import Community

    for _step in range(4):
        if obj is None or isinstance(obj, Community):
            return obj
        obj = next(
            (getattr(obj, name) for name in _PARENTS if getattr(obj, name, None) is not None),
            None,
        )
    return None


def is_archived(obj):
    community = community_of(obj)
    return community is not None and community.state == State.ARCHIVED


class CommunityArchived(PermissionDenied):
    """A write refused because the community is archived; the 403 page shows its message."""

    def __init__(self, community=None):
        self.community = community
        super().__init__(
            _(
                "This community is archived: it is kept as it was, read-only. Nothing can be "
                "posted, joined, answered, uploaded or changed in it any more."
            )
        )


def ensure_writable(obj):
    """Refuse any change to an archived community (or to anything in it)."""
    community = community_of(obj)
    if community is not None and community.state == State.ARCHIVED:
        raise CommunityArchived(community)
