"""Discussion permissions. Community-level ones take a community; the others a thread or a post.

Visitors never read discussions, even those of public communities; closed and archived
communities are read-only; outer-circle members may post, ex-members and pending people may not.
"""

import rules

from cercles.accounts.rules import is_coordinator
from cercles.communities.models import MembershipStatus, Role
from cercles.communities.rules import (
    can_see_content,
    is_active_member,
    is_core_or_leading,
    is_running,
    is_writable,
)

# Third-party guests read the discussions of the community they accompany (DESIGN.md §1: "read
# and take part in that one community only"); can_see_content says who else reads.
can_read = can_see_content
can_write = is_active_member & is_running
can_moderate = is_core_or_leading


def _of_thread(predicate, name):
    """The community predicate applied to a thread's community."""
    return rules.predicate(lambda user, thread: predicate.test(user, thread.community), name=name)


def _of_post(predicate, name):
    return rules.predicate(
        lambda user, post: predicate.test(user, post.thread.community), name=name
    )


@rules.predicate
def thread_is_open(user, thread):
    return not thread.locked


@rules.predicate
def is_presenter(user, thread):
    return thread.is_codev and thread.author_id is not None and thread.author_id == user.pk


@rules.predicate
def session_is_open(user, thread):
    return thread.is_codev and thread.closed_at is None


@rules.predicate
def is_author(user, post):
    return post.author_id is not None and post.author_id == user.pk


@rules.predicate
def post_is_live(user, post):
    return post.deleted_at is None and post.hidden_at is None


@rules.predicate
def is_suggestion_in_open_session(user, post):
    return post.kind == "suggestion" and post.thread.is_codev and post.thread.closed_at is None


@rules.predicate
def presents_post_thread(user, post):
    return is_presenter.test(user, post.thread)


@rules.predicate
def moderates_somewhere(user):
    return bool(
        user.is_authenticated
        and user.memberships.filter(
            status=MembershipStatus.ACTIVE, role__in=[Role.LEAD, Role.CO_LEAD, Role.CORE]
        ).exists()
    )


@rules.predicate
def may_resolve_report(user, report):
    return is_coordinator.test(user) or can_moderate.test(user, report.post.thread.community)


thread_readable = _of_thread(can_read, "thread_readable")
thread_writable = _of_thread(can_write, "thread_writable")
thread_moderated = _of_thread(can_moderate, "thread_moderated")
post_readable = _of_post(can_read, "post_readable")
post_writable = _of_post(can_write, "post_writable")
post_moderated = _of_post(can_moderate, "post_moderated")

# Community level
rules.add_perm("discussions.view_discussions", can_read)
rules.add_perm("discussions.start_thread", can_write & is_writable)
rules.add_perm("discussions.download_attachment", can_read)
rules.add_perm("discussions.moderate", can_moderate)
# Thread level
rules.add_perm("discussions.view_thread", thread_readable)
rules.add_perm("discussions.reply", thread_writable & thread_is_open & is_writable)
rules.add_perm("discussions.follow_thread", thread_readable)
rules.add_perm("discussions.pin_thread", thread_moderated & thread_writable & is_writable)
rules.add_perm("discussions.lock_thread", thread_moderated & thread_writable & is_writable)
rules.add_perm(
    "discussions.post_follow_up",
    is_presenter & session_is_open & thread_writable & thread_is_open & is_writable,
)
# Post level
rules.add_perm("discussions.edit_post", is_author & post_is_live & post_writable & is_writable)
rules.add_perm("discussions.delete_post", is_author & post_is_live & post_writable & is_writable)
rules.add_perm("discussions.hide_post", post_moderated & post_is_live & is_writable)
rules.add_perm("discussions.report_post", post_readable & ~is_author & post_is_live & is_writable)
rules.add_perm(
    "discussions.mark_helpful",
    presents_post_thread & is_suggestion_in_open_session & post_writable & is_writable,
)
# Network level: coordinators see every report, moderators those of their communities.
rules.add_perm("discussions.view_reports", is_coordinator | moderates_somewhere)
rules.add_perm("discussions.resolve_report", may_resolve_report)
