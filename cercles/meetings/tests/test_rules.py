"""Permission matrix of the meetings: every role × visibility × action, from one table."""

import itertools

import pytest
from django.utils import timezone

from cercles.communities.lifecycle import State
from cercles.communities.models import Visibility
from cercles.communities.tests.factories import CommunityFactory
from cercles.communities.tests.test_rules import ALL, MEMBERS, READABLE, ROLES, person_with_role

from .factories import MeetingFactory, past

VISIBILITIES = [Visibility.PRIVATE, Visibility.NETWORK, Visibility.PUBLIC]
ORGANISERS = {"lead", "co_lead", "core"}
READERS = {
    "outsider": READABLE, "pending": READABLE, "ex_member": READABLE, "coordinator": ALL,
    **dict.fromkeys(MEMBERS, ALL),
}  # fmt: skip

# permission → (state of the community, which meeting: None (the community) / "upcoming" /
# "past" / "cancelled", {role: visibilities in which the role may do it})
MATRIX = {
    "meetings.view_meetings": (State.ACTIVE, None, READERS),
    "meetings.view_meeting": (State.ACTIVE, "upcoming", READERS),
    "meetings.view_minutes": (State.ACTIVE, "past", READERS),
    "meetings.plan_meeting": (State.ACTIVE, None, dict.fromkeys(ORGANISERS, ALL)),
    "meetings.edit_meeting": (State.ACTIVE, "upcoming", dict.fromkeys(ORGANISERS, ALL)),
    "meetings.cancel_meeting": (State.ACTIVE, "upcoming", dict.fromkeys(ORGANISERS, ALL)),
    "meetings.rsvp": (State.ACTIVE, "upcoming", dict.fromkeys(MEMBERS, ALL)),
    "meetings.record_attendance": (State.ACTIVE, "past", dict.fromkeys(ORGANISERS, ALL)),
    "meetings.publish_minutes": (State.ACTIVE, "past", dict.fromkeys(ORGANISERS, ALL)),
}  # fmt: skip

# Edge cases, in a network community: (permission, state, which meeting, roles allowed).
EDGES = [
    # Nobody answers, records or cancels a cancelled meeting, nor answers a past one.
    ("meetings.rsvp", State.ACTIVE, "past", set()),
    ("meetings.rsvp", State.ACTIVE, "cancelled", set()),
    ("meetings.cancel_meeting", State.ACTIVE, "past", set()),
    ("meetings.edit_meeting", State.ACTIVE, "cancelled", set()),
    ("meetings.publish_minutes", State.ACTIVE, "upcoming", set()),
    ("meetings.record_attendance", State.ACTIVE, "cancelled", set()),
    # An open community plans its kick-off and its members answer; a closed one plans nothing
    # but still writes its last minutes; an archived one is read-only.
    ("meetings.plan_meeting", State.OPEN, None, ORGANISERS),
    ("meetings.rsvp", State.OPEN, "upcoming", MEMBERS),
    ("meetings.plan_meeting", State.CLOSED, None, set()),
    ("meetings.rsvp", State.CLOSED, "upcoming", set()),
    ("meetings.publish_minutes", State.CLOSED, "past", ORGANISERS),
    ("meetings.publish_minutes", State.ARCHIVED, "past", set()),
    ("meetings.record_attendance", State.ARCHIVED, "past", set()),
]


def target(which, community):
    if which is None:
        return community
    if which == "past":
        return past(community=community)
    if which == "cancelled":
        return MeetingFactory(community=community, cancelled_at=timezone.now())
    return MeetingFactory(community=community)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("permission", "role", "visibility"), list(itertools.product(MATRIX, ROLES, VISIBILITIES))
)
def test_permission_matrix(permission, role, visibility):
    state, which, allowed = MATRIX[permission]
    community = CommunityFactory(state=state, visibility=visibility)
    obj = target(which, community)
    person = person_with_role(role, community)
    expected = visibility in allowed.get(role, set())
    assert person.has_perm(permission, obj) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("edge", "role"), list(itertools.product(range(len(EDGES)), ROLES)))
def test_edge_cases(edge, role):
    permission, state, which, allowed = EDGES[edge]
    community = CommunityFactory(state=state, visibility=Visibility.NETWORK)
    obj = target(which, community)
    person = person_with_role(role, community)
    assert person.has_perm(permission, obj) is (role in allowed), (permission, state, which)
