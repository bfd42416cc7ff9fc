"""Meeting permissions. Community-level ones take the community, the others take the meeting.

Who organises: the lead, the co-lead and the core group (DESIGN §1: "plan meetings").
Coordinators follow communities, they do not run them: they read meetings and minutes like any
reader of the content but do not plan them unless they are themselves in the core group.
Attendance and minutes may still be written once a community is closed or dissolved (the last
meeting's record), not once it is archived (read-only).
"""

import rules
from django.utils import timezone

from cercles.communities.rules import (
    can_see_content,
    is_active_member,
    is_core_or_leading,
    is_ended,
    is_running,
    is_writable,
)


def _on_community(predicate):
    """The same predicate, asked about a meeting's community."""

    @rules.predicate(name=f"meeting_{predicate.name}")
    def on_meeting(user, meeting):
        return meeting is not None and predicate.test(user, meeting.community)

    return on_meeting


@rules.predicate
def is_cancelled(user, meeting):
    return meeting is not None and meeting.cancelled_at is not None


@rules.predicate
def has_started(user, meeting):
    return meeting is not None and meeting.starts_at <= timezone.now()


organises = is_core_or_leading
can_read = _on_community(can_see_content)
organises_meeting = _on_community(is_core_or_leading)
meeting_running = _on_community(is_running)
meeting_running_or_ended = _on_community(is_running | is_ended)

rules.add_perm("meetings.view_meetings", can_see_content)
rules.add_perm("meetings.plan_meeting", organises & is_running & is_writable)
rules.add_perm("meetings.view_meeting", can_read)
rules.add_perm("meetings.view_minutes", can_read)
rules.add_perm(
    "meetings.edit_meeting", organises_meeting & meeting_running & ~is_cancelled & is_writable
)
rules.add_perm(
    "meetings.cancel_meeting",
    organises_meeting & meeting_running & ~is_cancelled & ~has_started & is_writable,
)
rules.add_perm(
    "meetings.rsvp",
    _on_community(is_active_member) & meeting_running & ~is_cancelled & ~has_started & is_writable,
)
rules.add_perm(
    "meetings.record_attendance",
    organises_meeting & meeting_running_or_ended & ~is_cancelled & has_started & is_writable,
)
rules.add_perm(
    "meetings.publish_minutes",
    organises_meeting & meeting_running_or_ended & ~is_cancelled & has_started & is_writable,
)
