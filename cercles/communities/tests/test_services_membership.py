"""Membership services: joining, answering, roles, removal, leaving, handing over, invitations."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import services
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    Invitation,
    InvitationStatus,
    Involvement,
    MembershipStatus,
    Role,
    Visibility,
)
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db


def fresh(community):
    community.refresh_from_db()
    community.__dict__.pop("_membership_cache", None)
    return community


def join(person, community, involvement=Involvement.ACTIVE, **kwargs):
    return services.join_community(
        person, community, objective="Apprendre", involvement=involvement, **kwargs
    )


def test_join_an_open_community_places_by_involvement(member, other_member):
    community = CommunityFactory(state=State.OPEN)
    assert join(member, community).role == Role.INNER
    assert join(other_member, community, Involvement.OBSERVER).role == Role.OUTER
    assert fresh(community).member_count == 3


@pytest.mark.parametrize(
    ("visibility", "requires_approval"),
    [(Visibility.PRIVATE, False), (Visibility.NETWORK, True)],
)
def test_join_request_when_approval_is_needed(
    member, visibility, requires_approval, django_capture_on_commit_callbacks
):
    community = CommunityFactory(visibility=visibility, requires_approval=requires_approval)
    with django_capture_on_commit_callbacks(execute=True):
        membership = join(member, community, message="Bonjour")
    assert membership.status == MembershipStatus.PENDING
    assert fresh(community).member_count == 1
    notification = Notification.objects.get(recipient=community.lead, kind="membership.requested")
    assert notification.params["note"] == "Bonjour"


def test_joining_twice_is_refused(member):
    community = CommunityFactory()
    join(member, community)
    with pytest.raises(PermissionDenied):
        join(member, fresh(community), Involvement.OBSERVER)
    assert community.memberships.get(user=member).role == Role.INNER


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.CLOSED, State.ARCHIVED])
def test_only_open_or_active_communities_can_be_joined(member, state):
    community = CommunityFactory(state=state)
    with pytest.raises(PermissionDenied):
        join(member, community)
    assert not community.memberships.filter(user=member).exists()


def test_a_former_member_can_join_again(member):
    community = CommunityFactory()
    add_member(community, Role.CORE, MembershipStatus.LEFT, user=member)
    membership = join(member, fresh(community), Involvement.OCCASIONAL)
    assert (membership.status, membership.role) == (MembershipStatus.ACTIVE, Role.OUTER)


def test_answer_a_request_once(member, django_capture_on_commit_callbacks):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    membership = join(member, community)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_join_request(community.lead, membership, accept=True, message="Bienvenue")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert fresh(community).member_count == 2
    assert (
        Notification.objects.get(recipient=member, kind="membership.answered").params["decision"]
        == "approved"
    )
    with pytest.raises(ValidationError):
        services.answer_join_request(community.lead, membership, accept=False)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_only_leads_answer_requests(member, other_member):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    add_member(community, Role.CORE, user=other_member)
    membership = join(member, fresh(community))
    with pytest.raises(PermissionDenied):
        services.answer_join_request(other_member, membership, accept=True)


def test_change_involvement_moves_between_circles_but_keeps_core_roles(member, other_member):
    community = CommunityFactory()
    add_member(community, Role.OUTER, user=member)
    add_member(community, Role.CORE, user=other_member)
    services.change_involvement(
        member, fresh(community), involvement=Involvement.ACTIVE, objective="Plus"
    )
    services.change_involvement(
        other_member, community, involvement=Involvement.OBSERVER, objective="Moins"
    )
    assert community.memberships.get(user=member).role == Role.INNER
    assert community.memberships.get(user=other_member).role == Role.CORE


def test_leave_and_the_lead_cannot(member):
    community = CommunityFactory()
    add_member(community, Role.INNER, user=member)
    services.leave_community(member, fresh(community), reason="Plus le temps")
    membership = community.memberships.get(user=member)
    assert (membership.status, membership.end_reason) == (MembershipStatus.LEFT, "Plus le temps")
    assert fresh(community).member_count == 1
    with pytest.raises(PermissionDenied):
        services.leave_community(community.lead, community)


def test_change_role_among_circles_only():
    community = CommunityFactory()
    membership = add_member(community, Role.OUTER)
    services.change_role(community.lead, membership, Role.CORE)
    assert membership.role == Role.CORE
    for role in (Role.LEAD, Role.CO_LEAD):
        with pytest.raises(ValidationError):
            services.change_role(community.lead, membership, role)
    lead_membership = community.memberships.get(role=Role.LEAD)
    with pytest.raises(ValidationError):
        services.change_role(community.lead, lead_membership, Role.OUTER)


def test_a_co_lead_cannot_demote_another_co_lead_but_the_lead_can():
    community = CommunityFactory()
    co_lead = add_member(community, Role.CO_LEAD)
    with pytest.raises(ValidationError):
        services.change_role(co_lead.user, co_lead, Role.CORE)
    services.change_role(community.lead, co_lead, Role.CORE)
    assert co_lead.role == Role.CORE


def test_remove_member_needs_a_reason_and_spares_the_lead(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    membership = add_member(community, Role.INNER)
    with pytest.raises(ValidationError):
        services.remove_member(community.lead, membership, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_member(community.lead, membership, reason="Hors sujet")
    assert membership.status == MembershipStatus.REMOVED
    assert fresh(community).member_count == 1
    assert Notification.objects.get(recipient=membership.user, kind="membership.removed")
    co_lead = add_member(community, Role.CO_LEAD)
    with pytest.raises(ValidationError):
        services.remove_member(co_lead.user, community.memberships.get(role=Role.LEAD), reason="x")


def test_hand_over_leadership(member):
    community = CommunityFactory()
    former = community.lead
    old_co_lead = add_member(community, Role.CO_LEAD)
    add_member(community, Role.INNER, user=member)
    services.hand_over_leadership(former, fresh(community), member)
    community = fresh(community)
    assert community.lead == member
    roles = dict(community.memberships.values_list("user_id", "role"))
    assert roles == {member.pk: Role.LEAD, former.pk: Role.CO_LEAD, old_co_lead.user_id: Role.CORE}


def test_hand_over_only_to_another_active_member(member, other_member):
    community = CommunityFactory()
    add_member(community, Role.INNER, MembershipStatus.LEFT, user=member)
    for person in (member, other_member, community.lead):
        with pytest.raises(ValidationError):
            services.hand_over_leadership(community.lead, fresh(community), person)
    assert fresh(community).lead != member


# --- invitations ------------------------------------------------------------------------------


def test_invite_a_network_member_notifies_them(other_member, django_capture_on_commit_callbacks):
    community = CommunityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(community.lead, community, email=other_member.email)
    assert invitation.invitee == other_member
    assert Notification.objects.get(recipient=other_member, kind="membership.invited")


def test_duplicate_invitation_and_inviting_a_member_are_refused(member):
    community = CommunityFactory()
    services.invite(community.lead, community, email="x@example.org")
    with pytest.raises(ValidationError):
        services.invite(community.lead, community, email="X@example.org")
    add_member(community, user=member)
    with pytest.raises(ValidationError):
        services.invite(community.lead, fresh(community), email=member.email)
    assert Invitation.objects.count() == 1


def test_co_lead_invitation_requires_a_network_member_and_no_co_lead(member, other_member):
    community = CommunityFactory(state=State.DRAFT)
    with pytest.raises(ValidationError):
        services.invite(community.lead, community, email="x@example.org", purpose="co_lead")
    add_member(community, Role.CO_LEAD, user=member)
    with pytest.raises(ValidationError):
        services.invite(
            community.lead, fresh(community), email=other_member.email, purpose="co_lead"
        )


def test_answer_invitation_only_by_its_addressee_and_once(member, other_member):
    community = CommunityFactory()
    invitation = services.invite(community.lead, community, email=other_member.email)
    with pytest.raises(PermissionDenied):
        services.answer_invitation(member, invitation, accept=True)
    services.answer_invitation(
        other_member, invitation, accept=True, objective="Voir", involvement=Involvement.ACTIVE
    )
    membership = community.memberships.get(user=other_member)
    assert (membership.role, membership.status) == (Role.INNER, MembershipStatus.ACTIVE)
    with pytest.raises(ValidationError):
        services.answer_invitation(other_member, invitation, accept=False)


def test_an_unknown_address_is_addressed_once_verified():
    community = CommunityFactory()
    invitation = services.invite(community.lead, community, email="new@example.org")
    person = UserFactory(email="new@example.org", verified_email=False)
    address = EmailAddress.objects.create(user=person, email="new@example.org", verified=False)
    assert not services.invitation_addressed_to(person, invitation)
    address.verified = True
    address.save()
    assert services.invitation_addressed_to(person, invitation)


def test_a_member_invitation_to_an_ended_community_cannot_be_accepted(other_member):
    community = CommunityFactory()
    invitation = services.invite(community.lead, community, email=other_member.email)
    services.close_community(community.lead, fresh(community), achievements="Un guide publié.")
    with pytest.raises(ValidationError):
        services.answer_invitation(other_member, invitation, accept=True, objective="x")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    # Confirming the address later accepts nothing either, and does not fail.
    services.accept_invitations_for_new_address(other_member, other_member.email)
    assert not community.memberships.filter(user=other_member).exists()


def test_counts_in_all_and_per_circle_follow_every_membership_change(member, other_member):
    from django.db.models import Count

    def counted(community):
        return dict(
            community.memberships.active().order_by().values_list("role").annotate(n=Count("id"))
        )

    def assert_counts_right(community):
        community = fresh(community)
        assert community.members_per_circle == counted(community)
        assert community.member_count == sum(counted(community).values())

    community = CommunityFactory(state=State.OPEN, requires_approval=True)
    lead = community.lead
    request = join(member, community)
    assert_counts_right(community)  # a request to join counts nobody yet
    services.answer_join_request(lead, request, accept=True)
    assert_counts_right(community)
    join(other_member, fresh(community))
    services.answer_join_request(lead, other_member.memberships.get(), accept=True)
    services.change_role(lead, member.memberships.get(), Role.CORE)
    assert_counts_right(community)
    services.change_involvement(
        other_member, fresh(community), involvement=Involvement.OBSERVER, objective="Voir"
    )
    assert fresh(community).members_per_circle[Role.OUTER] == 1
    assert_counts_right(community)
    services.hand_over_leadership(lead, fresh(community), member)
    assert fresh(community).members_per_circle == {Role.LEAD: 1, Role.CO_LEAD: 1, Role.OUTER: 1}
    services.remove_member(member, other_member.memberships.get(), reason="Absent")
    assert_counts_right(community)
    services.leave_community(lead, fresh(community))
    assert fresh(community).members_per_circle == {Role.LEAD: 1}
