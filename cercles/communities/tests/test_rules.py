"""Permission matrix: every role × visibility × action, generated from one table."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import MembershipStatus, Role, Visibility

from .factories import CommunityFactory, add_member

ROLES = [
    "visitor", "outsider", "pending", "outer", "inner", "core", "co_lead", "lead", "coordinator",
    "ex_member",
]  # fmt: skip
VISIBILITIES = [Visibility.PRIVATE, Visibility.NETWORK, Visibility.PUBLIC]
ALL = set(VISIBILITIES)
READABLE = {Visibility.NETWORK, Visibility.PUBLIC}
MEMBERS = {"outer", "inner", "core", "co_lead", "lead"}
LEADS = {"co_lead", "lead"}

# action → (state of the community, {role: visibilities in which the role may do it})
MATRIX = {
    "communities.view_presentation": (State.ACTIVE, {
        "visitor": {Visibility.PUBLIC},
        **{role: ALL for role in ROLES if role != "visitor"},
    }),
    "communities.view_content": (State.ACTIVE, {
        "outsider": READABLE, "pending": READABLE, "ex_member": READABLE,
        "coordinator": ALL, **dict.fromkeys(MEMBERS, ALL),
    }),
    "communities.edit_framing": (State.ACTIVE, dict.fromkeys(LEADS, ALL)),
    "communities.submit_framing": (State.DRAFT, dict.fromkeys(LEADS, ALL)),
    "communities.review_community": (State.IN_REVIEW, {"coordinator": ALL}),
    "communities.join_community": (State.OPEN, {
        "outsider": ALL, "ex_member": ALL, "coordinator": ALL,
    }),
    "communities.approve_members": (State.ACTIVE, dict.fromkeys(LEADS, ALL)),
    "communities.change_roles": (State.ACTIVE, dict.fromkeys(LEADS, ALL)),
    "communities.hand_over_leadership": (State.ACTIVE, {"lead": ALL}),
    "communities.leave_community": (State.ACTIVE, dict.fromkeys(MEMBERS - {"lead"}, ALL)),
}  # fmt: skip


def person_with_role(role, community):
    if role == "visitor":
        return AnonymousUser()
    if role == "coordinator":
        return CoordinatorFactory()
    if role == "lead":
        return community.lead
    person = UserFactory()
    if role == "pending":
        add_member(community, Role.OUTER, MembershipStatus.PENDING, user=person)
    elif role == "ex_member":
        add_member(community, Role.INNER, MembershipStatus.LEFT, user=person)
    elif role != "outsider":
        add_member(community, role, user=person)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("permission", "role", "visibility"),
    list(itertools.product(MATRIX, ROLES, VISIBILITIES)),
)
def test_permission_matrix(permission, role, visibility):
    state, allowed = MATRIX[permission]
    community = CommunityFactory(state=state, visibility=visibility)
    person = person_with_role(role, community)
    expected = visibility in allowed.get(role, set())
    assert person.has_perm(permission, community) is expected


@pytest.mark.django_db
def test_coordinator_cannot_review_a_community_they_lead():
    coordinator = CoordinatorFactory()
    community = CommunityFactory(state=State.IN_REVIEW, lead=coordinator)
    assert not coordinator.has_perm("communities.review_community", community)
    co_leading = CommunityFactory(state=State.IN_REVIEW)
    add_member(co_leading, Role.CO_LEAD, user=coordinator)
    assert not coordinator.has_perm("communities.review_community", co_leading)


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.DECLINED])
def test_unpublished_communities_are_seen_by_leads_and_coordinators_only(state):
    community = CommunityFactory(state=state, visibility=Visibility.PUBLIC)
    assert community.lead.has_perm("communities.view_presentation", community)
    assert CoordinatorFactory().has_perm("communities.view_presentation", community)
    assert not UserFactory().has_perm("communities.view_presentation", community)
    assert not AnonymousUser().has_perm("communities.view_presentation", community)
