"""Accompaniment: the lead and co-lead declare needs, coordinators assign mentors, mentors keep
the log; lead, co-lead, mentors and coordinators read it."""

import rules

from cercles.accounts.rules import is_coordinator, is_member
from cercles.communities.rules import is_active_member, is_leading, is_running, is_writable

from .models import Mentorship


@rules.predicate
def is_current_mentor(user, community):
    if community is None or not user.is_authenticated:
        return False
    cache = community.__dict__.setdefault("_mentor_cache", {})
    if user.pk not in cache:
        cache[user.pk] = (
            Mentorship.objects.current().filter(mentor=user, community=community).exists()
        )
    return cache[user.pk]


@rules.predicate
def holds_mentorship(user, mentorship):
    return mentorship is not None and user.is_authenticated and mentorship.mentor_id == user.pk


@rules.predicate
def mentorship_is_current(user, mentorship):
    return mentorship is not None and mentorship.ended_at is None


@rules.predicate
def mentorship_writable(user, mentorship):
    return mentorship is not None and is_writable(user, mentorship.community)


@rules.predicate
def coordinates(user, mentorship):
    return is_coordinator(user)


# Mentors are not members of the community they accompany: members cost no query here.
rules.add_perm(
    "mentoring.view_accompaniment",
    is_leading | is_coordinator | (~is_active_member & is_current_mentor),
)
rules.add_perm("mentoring.add_need", is_leading & is_running & is_writable)
rules.add_perm("mentoring.assign_mentor", is_coordinator & is_writable)
rules.add_perm(
    "mentoring.log_session", holds_mentorship & mentorship_is_current & mentorship_writable
)
rules.add_perm(
    "mentoring.end_mentorship",
    (holds_mentorship | coordinates) & mentorship_is_current & mentorship_writable,
)
rules.add_perm("mentoring.edit_mentor_profile", is_member)
