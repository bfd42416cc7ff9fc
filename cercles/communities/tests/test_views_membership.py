import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cercles.accounts.models import User
from cercles.communities import services
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    Invitation,
    InvitationStatus,
    Involvement,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db


def url(name, community, *args):
    return reverse(f"communities:{name}", args=[community.slug, *args])


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def refreshed(membership):
    membership.refresh_from_db()
    return membership


@pytest.fixture
def community():
    return CommunityFactory(state=State.OPEN)


@pytest.fixture
def lead_client(client, community):
    client.force_login(community.lead)
    return client


# --- join -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("involvement", "role"),
    [("active", Role.INNER), ("occasional", Role.OUTER), ("observer", Role.OUTER)],
)
def test_join_an_open_community(member_client, member, community, involvement, role):
    page = member_client.get(url("join", community))
    assert page.status_code == 200
    assert 'type="radio"' in page.content.decode()
    assert "message" not in page.context["form"].fields
    response = member_client.post(
        url("join", community), {"objective": "Apprendre", "involvement": involvement}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(community=community, user=member)
    assert (membership.status, membership.role, membership.objective) == (
        MembershipStatus.ACTIVE,
        role,
        "Apprendre",
    )
    community.refresh_from_db()
    assert community.member_count == 2


def test_join_needs_an_objective(member_client, member, community):
    response = member_client.post(url("join", community), {"involvement": "active"})
    assert response.status_code == 200
    assert response.context["form"].errors["objective"]
    assert not Membership.objects.filter(user=member).exists()


def test_joining_twice_changes_nothing(member_client, member, community):
    membership = add_member(community, Role.CORE, user=member)
    response = member_client.post(
        url("join", community), {"objective": "Encore", "involvement": "observer"}
    )
    assert response.status_code == 302
    assert messages_of(response)
    membership = refreshed(membership)
    assert (membership.role, membership.objective) == (
        Role.CORE,
        "Apprendre des autres comités de gestion.",
    )


@pytest.mark.parametrize("state", [State.CLOSED, State.ARCHIVED, State.DISSOLVED])
def test_joining_an_ended_community_is_refused_with_a_message(member_client, member, state):
    community = CommunityFactory(state=state)
    response = member_client.post(
        url("join", community), {"objective": "x", "involvement": "active"}
    )
    assert response.status_code == 302
    assert messages_of(response)
    assert not Membership.objects.filter(user=member).exists()


def test_a_draft_cannot_be_joined(member_client, member):
    community = CommunityFactory(state=State.DRAFT)
    response = member_client.post(
        url("join", community), {"objective": "x", "involvement": "active"}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user=member).exists()


def test_private_community_request_then_approval(member_client, member, client):
    community = CommunityFactory(state=State.OPEN, visibility=Visibility.PRIVATE)
    page = member_client.get(url("join", community))
    assert "message" in page.context["form"].fields
    assert page.context["needs_approval"]
    member_client.post(
        url("join", community),
        {"objective": "Voir", "involvement": "active", "message": "Bonjour"},
    )
    membership = Membership.objects.get(community=community, user=member)
    assert (membership.status, membership.request_message) == (MembershipStatus.PENDING, "Bonjour")
    community.refresh_from_db()
    assert community.member_count == 1

    client.force_login(community.lead)
    page = client.get(url("members", community))
    assert page.context["pending"] == [membership]
    response = client.post(url("answer_request", community, membership.pk), {"decision": "approve"})
    assert response.status_code == 302
    assert refreshed(membership).status == MembershipStatus.ACTIVE
    community.refresh_from_db()
    assert community.member_count == 2


def test_decline_with_a_message_notifies_the_requester(
    lead_client, community, member, django_capture_on_commit_callbacks
):
    community.requires_approval = True
    community.save()
    membership = add_member(community, Role.OUTER, MembershipStatus.PENDING, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(
            url("answer_request", community, membership.pk),
            {"decision": "decline", "message": "Le groupe est complet."},
        )
    assert refreshed(membership).status == MembershipStatus.DECLINED
    notification = Notification.objects.get(recipient=member, kind="membership.answered")
    assert notification.params["note"] == "Le groupe est complet."


def test_answering_twice_is_refused(lead_client, community, member):
    membership = add_member(community, Role.OUTER, MembershipStatus.PENDING, user=member)
    lead_client.post(url("answer_request", community, membership.pk), {"decision": "approve"})
    response = lead_client.post(
        url("answer_request", community, membership.pk), {"decision": "decline"}
    )
    assert response.status_code == 302
    assert any("already" in m or "déjà" in m for m in messages_of(response))
    assert refreshed(membership).status == MembershipStatus.ACTIVE


def test_members_cannot_answer_requests(member_client, member, community, other_member):
    add_member(community, Role.CORE, user=member)
    membership = add_member(community, Role.OUTER, MembershipStatus.PENDING, user=other_member)
    response = member_client.post(
        url("answer_request", community, membership.pk), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert refreshed(membership).status == MembershipStatus.PENDING


# --- members page -----------------------------------------------------------------------------


def test_members_page_by_circle_with_objectives_and_size_warning(member_client, community):
    inner = add_member(community, Role.INNER)
    outer = add_member(community, Role.OUTER)
    response = member_client.get(url("members", community))
    assert response.status_code == 200
    circles = {label: members for label, members, _size in response.context["circles"]}
    assert circles[Role.INNER.label] == [inner]
    assert circles[Role.OUTER.label] == [outer]
    html = response.content.decode()
    assert inner.objective in html
    assert "size-warning" in html  # 3 members, below the 5 planned


def test_members_page_warns_above_the_maximum(member_client):
    community = CommunityFactory(target_size_min=1, target_size_max=2)
    add_member(community)
    add_member(community)
    assert "size-warning" in member_client.get(url("members", community)).content.decode()
    fine = CommunityFactory(target_size_min=1, target_size_max=5)
    assert "size-warning" not in member_client.get(url("members", fine)).content.decode()


def test_private_members_page_is_hidden_from_non_members(member_client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    assert member_client.get(url("members", community)).status_code == 404


@pytest.mark.parametrize("status", [MembershipStatus.LEFT, MembershipStatus.REMOVED])
def test_ex_members_of_a_private_community_get_404(member_client, member, status):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    add_member(community, Role.INNER, status, user=member)
    assert member_client.get(url("members", community)).status_code == 404


def test_leads_see_the_management_tools(lead_client, community):
    add_member(community, Role.INNER)
    html = lead_client.get(url("members", community)).content.decode()
    assert url("invite", community) in html
    assert "change_role" not in html  # the url name never leaks
    assert "/role" in html and "/remove" in html


# --- roles, removal, leaving, handing over ----------------------------------------------------


def test_change_role(lead_client, community, django_capture_on_commit_callbacks):
    membership = add_member(community, Role.OUTER)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url("change_role", community, membership.pk), {"role": "core"})
    assert response.status_code == 302
    assert refreshed(membership).role == Role.CORE
    assert Notification.objects.filter(recipient=membership.user, kind="membership.role_changed")


def test_change_role_to_lead_is_refused(lead_client, community):
    membership = add_member(community, Role.OUTER)
    lead_client.post(url("change_role", community, membership.pk), {"role": "lead"})
    assert refreshed(membership).role == Role.OUTER


def test_forged_post_on_another_communitys_membership_answers_404(lead_client, community):
    other = CommunityFactory()
    theirs = add_member(other, Role.OUTER)
    pending = add_member(other, Role.OUTER, MembershipStatus.PENDING)
    assert (
        lead_client.post(url("change_role", community, theirs.pk), {"role": "core"}).status_code
        == 404
    )
    assert (
        lead_client.post(url("remove_member", community, theirs.pk), {"reason": "x"}).status_code
        == 404
    )
    assert (
        lead_client.post(
            url("answer_request", community, pending.pk), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert refreshed(theirs).role == Role.OUTER
    assert refreshed(theirs).status == MembershipStatus.ACTIVE
    assert refreshed(pending).status == MembershipStatus.PENDING


def test_remove_with_a_reason(lead_client, community, django_capture_on_commit_callbacks):
    membership = add_member(community, Role.INNER)
    page = lead_client.get(url("remove_member", community, membership.pk))
    assert page.status_code == 200
    response = lead_client.post(url("remove_member", community, membership.pk), {"reason": ""})
    assert response.context["form"].errors["reason"]
    assert refreshed(membership).is_active
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            url("remove_member", community, membership.pk), {"reason": "Propos déplacés"}
        )
    assert response.status_code == 302
    membership = refreshed(membership)
    assert (membership.status, membership.end_reason) == (
        MembershipStatus.REMOVED,
        "Propos déplacés",
    )
    assert Notification.objects.get(recipient=membership.user, kind="membership.removed")
    community.refresh_from_db()
    assert community.member_count == 1


def test_the_lead_cannot_be_removed(client, community):
    co_lead = add_member(community, Role.CO_LEAD)
    client.force_login(co_lead.user)
    lead_membership = community.memberships.get(role=Role.LEAD)
    client.post(url("remove_member", community, lead_membership.pk), {"reason": "Coup d'État"})
    assert refreshed(lead_membership).is_active


def test_leave(member_client, member, community):
    membership = add_member(community, Role.INNER, user=member)
    assert member_client.get(url("leave", community)).status_code == 200
    response = member_client.post(url("leave", community), {"reason": "Plus le temps"})
    assert response.status_code == 302
    membership = refreshed(membership)
    assert membership.status == MembershipStatus.LEFT
    community.refresh_from_db()
    assert community.member_count == 1


def test_the_lead_cannot_leave_and_is_told_to_hand_over(lead_client, community):
    page = lead_client.get(url("leave", community))
    assert page.context["is_lead"]
    assert url("hand_over", community) in page.content.decode()
    lead_client.post(url("leave", community), {"reason": ""})
    assert community.memberships.get(user=community.lead).is_active


def test_hand_over(lead_client, community, django_capture_on_commit_callbacks):
    lead = community.lead
    successor = add_member(community, Role.INNER)
    page = lead_client.get(url("hand_over", community))
    assert list(page.context["form"].fields["new_lead"].queryset) == [successor.user]
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(url("hand_over", community), {"new_lead": successor.user.pk})
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.lead == successor.user
    assert refreshed(successor).role == Role.LEAD
    assert community.memberships.get(user=lead).role == Role.CO_LEAD


def test_hand_over_only_to_a_member(lead_client, community, other_member):
    response = lead_client.post(url("hand_over", community), {"new_lead": other_member.pk})
    assert response.context["form"].errors["new_lead"]
    community.refresh_from_db()
    assert community.lead != other_member


def test_change_my_involvement(member_client, member, community):
    membership = add_member(community, Role.OUTER, user=member)
    response = member_client.post(
        url("involvement", community), {"objective": "Contribuer", "involvement": "active"}
    )
    assert response.status_code == 302
    membership = refreshed(membership)
    assert (membership.role, membership.involvement, membership.objective) == (
        Role.INNER,
        Involvement.ACTIVE,
        "Contribuer",
    )


# --- invitations ------------------------------------------------------------------------------


def test_invite_a_member_of_the_network(
    lead_client, community, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            url("invite", community),
            {"email": other_member.email.upper(), "purpose": "member", "message": "Viens !"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(community=community)
    assert invitation.invitee == other_member
    assert Notification.objects.get(recipient=other_member, kind="membership.invited")
    assert invitation.email in lead_client.get(url("members", community)).content.decode()


def test_invite_an_unknown_address_sends_a_sign_up_link(
    lead_client, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(
            url("invite", community), {"email": "new@example.org", "purpose": "member"}
        )
    (email,) = [m for m in mail.outbox if m.to == ["new@example.org"]]
    invitation = Invitation.objects.get(email="new@example.org")
    assert reverse("account_signup") + "?next=" in email.body
    assert invitation.token in email.body


def test_duplicate_invitation_error_next_to_the_field(lead_client, community):
    lead_client.post(url("invite", community), {"email": "new@example.org", "purpose": "member"})
    response = lead_client.post(
        url("invite", community), {"email": "new@example.org", "purpose": "member"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert Invitation.objects.count() == 1


def test_a_co_lead_must_be_a_member_of_the_network(client):
    community = CommunityFactory(state=State.DRAFT)
    client.force_login(community.lead)
    page = client.get(url("invite", community))
    assert [c[0] for c in page.context["form"].fields["purpose"].choices] == ["co_lead"]
    response = client.post(
        url("invite", community), {"email": "stranger@example.org", "purpose": "co_lead"}
    )
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


def test_members_cannot_invite(member_client, member, community):
    add_member(community, Role.INNER, user=member)
    response = member_client.post(
        url("invite", community), {"email": "x@example.org", "purpose": "member"}
    )
    assert response.status_code == 403


@pytest.fixture
def invitation(community, other_member):
    return services.invite(community.lead, community, email=other_member.email)


def invitation_url(invitation):
    return reverse("communities:invitation", args=[invitation.token])


def test_anonymous_visitor_sees_the_invitation_with_sign_up_and_log_in_links(client, invitation):
    response = client.get(invitation_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{reverse('account_signup')}?next=" in html
    assert f"{reverse('account_login')}?next=" in html
    assert invitation.community.title in html


def test_someone_else_gets_404(member_client, invitation):
    assert member_client.get(invitation_url(invitation)).status_code == 404
    assert member_client.post(invitation_url(invitation), {"decision": "accept"}).status_code == 404


def test_accept_an_invitation(client, invitation, other_member):
    client.force_login(other_member)
    assert client.get(invitation_url(invitation)).status_code == 200
    response = client.post(invitation_url(invitation), {"decision": "accept"})
    assert response.context["form"].errors["objective"]
    response = client.post(
        invitation_url(invitation),
        {"decision": "accept", "objective": "Partager", "involvement": "active"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=other_member, community=invitation.community)
    assert (membership.status, membership.role, membership.objective) == (
        MembershipStatus.ACTIVE,
        Role.INNER,
        "Partager",
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


def test_decline_then_answer_again(client, invitation, other_member):
    client.force_login(other_member)
    response = client.post(invitation_url(invitation), {"decision": "decline"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    page = client.get(invitation_url(invitation))
    assert page.status_code == 200
    assert "form" not in page.context
    client.post(invitation_url(invitation), {"decision": "accept", "objective": "x"})
    assert not Membership.objects.filter(user=other_member, community=invitation.community)


def test_co_lead_invitation_accepted(client, other_member):
    community = CommunityFactory(state=State.DRAFT)
    invitation = services.invite(
        community.lead, community, email=other_member.email, purpose="co_lead"
    )
    client.force_login(other_member)
    page = client.get(invitation_url(invitation))
    assert "objective" not in page.context["form"].fields
    client.post(invitation_url(invitation), {"decision": "accept"})
    assert Membership.objects.get(user=other_member, community=community).role == Role.CO_LEAD


def test_unknown_address_signs_up_and_lands_in_the_community(
    client, community, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(community.lead, community, email="nouvelle@example.org")
    next_url = invitation_url(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{reverse('account_signup')}?next={next_url}",
            {
                "display_name": "Awa Ndiaye",
                "email": "nouvelle@example.org",
                "password1": "un-mot-de-passe-solide-42",
                "password2": "un-mot-de-passe-solide-42",
            },
        )
    assert response.status_code == 302
    person = User.objects.get(email="nouvelle@example.org")
    assert not Membership.objects.filter(user=person).exists()
    confirmation = next(m for m in reversed(mail.outbox) if m.to == ["nouvelle@example.org"])
    key_url = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", confirmation.body)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(key_url.group(1))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nouvelle@example.org").verified
    membership = Membership.objects.get(user=person, community=community)
    assert membership.status == MembershipStatus.ACTIVE
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    community.refresh_from_db()
    assert community.member_count == 2


def test_the_sign_up_link_of_an_invitation_fills_in_the_invited_address(client, community):
    invitation = services.invite(community.lead, community, email="awa+test@example.org")
    page = client.get(invitation_url(invitation))
    signup_url = page.context["signup_url"]
    assert "email=awa%2Btest%40example.org" in signup_url
    html = client.get(signup_url).content.decode()
    assert 'value="awa+test@example.org"' in html
    # The log-in link does not carry it: nothing to fill there that the person did not type.
    assert "email" not in page.context["login_url"]


def test_sign_up_keeps_the_zone_the_browser_gave(client, community):
    html = client.get(reverse("account_signup")).content.decode()
    assert "data-browser-timezone" in html
    assert 'value="Africa/Asmera"' not in html and 'value="CST6CDT"' not in html
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Awa Ndiaye",
            "email": "awa@example.org",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "timezone": "Africa/Bamako",
        },
    )
    assert User.objects.get(email="awa@example.org").timezone == "Africa/Bamako"
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Ali",
            "email": "ali@example.org",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "timezone": "Nowhere/Atlantis",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["timezone"]
    assert not User.objects.filter(email="ali@example.org").exists()


def test_accepting_an_invitation_sets_the_zone_unless_one_was_chosen(
    client, invitation, other_member
):
    client.force_login(other_member)
    page = client.get(invitation_url(invitation)).content.decode()
    assert "data-browser-timezone" in page and "data-chosen" not in page
    client.post(
        invitation_url(invitation),
        {"decision": "accept", "objective": "Partager", "involvement": "active",
         "timezone": "Africa/Bamako"},
    )  # fmt: skip
    other_member.refresh_from_db()
    assert other_member.timezone == "Africa/Bamako"


def test_an_invitation_accepted_on_confirming_the_address_then_asks_what_joining_asks(
    client, community, other_member
):
    invitation = services.invite(community.lead, community, email=other_member.email)
    services.accept_invitations_for_new_address(other_member, other_member.email)
    membership = Membership.objects.get(user=other_member, community=community)
    assert membership.objective == ""
    # Someone else: 404, as for a pending invitation.
    stranger = User.objects.exclude(pk__in=[other_member.pk, community.lead.pk]).first()
    if stranger is None:
        from cercles.accounts.tests.factories import UserFactory

        stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(invitation_url(invitation)).status_code == 404
    assert client.post(invitation_url(invitation), {"objective": "x"}).status_code == 404
    # The invitee: the joining questions, and their zone.
    client.force_login(other_member)
    page = client.get(invitation_url(invitation))
    assert page.context["welcome"] is True
    assert set(page.context["form"].fields) == {"objective", "involvement", "timezone"}
    response = client.post(invitation_url(invitation), {"involvement": "active"})
    assert response.context["form"].errors["objective"]
    response = client.post(
        invitation_url(invitation),
        {"objective": "Apprendre", "involvement": "active", "timezone": "Africa/Bamako"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.objective, membership.role) == ("Apprendre", Role.INNER)
    other_member.refresh_from_db()
    assert other_member.timezone == "Africa/Bamako"
    # Asked once: the page now says the invitation was answered.
    again = client.get(invitation_url(invitation))
    assert "welcome" not in again.context and "form" not in again.context


def test_members_page_is_paginated_and_bounded(client, django_assert_max_num_queries):
    from cercles.communities.views.membership import MEMBERS_PER_PAGE

    community = CommunityFactory()
    for _ in range(MEMBERS_PER_PAGE + 5):
        add_member(community, Role.OUTER)
    client.force_login(community.lead)
    url = reverse("communities:members", args=[community.slug])
    with django_assert_max_num_queries(20):
        first = client.get(url)
    assert first.context["page"].paginator.count == MEMBERS_PER_PAGE + 6
    assert len(first.context["page"].object_list) == MEMBERS_PER_PAGE
    sizes = {label: size for label, _members, size in first.context["circles"]}
    assert sizes[Role.OUTER.label] == MEMBERS_PER_PAGE + 5
    second = client.get(url + "?page=2")
    assert len(second.context["page"].object_list) == 6


def test_lead_changes_a_role_from_the_list_with_the_present_role_selected(client):
    community = CommunityFactory()
    inner = add_member(community, Role.INNER)
    co_lead = add_member(community, Role.CO_LEAD)
    client.force_login(community.lead)
    url = reverse("communities:members", args=[community.slug])
    html = client.get(url).content.decode()
    inner_select = html.split(f'id="role-{inner.pk}"')[1].split("</select>")[0]
    assert f'<option value="{Role.INNER}" selected>' in inner_select
    assert f'<option value="{Role.OUTER}">' in inner_select
    # The co-lead's present role reads right but cannot be chosen: the select holds no valid
    # role until the lead picks one.
    co_lead_select = html.split(f'id="role-{co_lead.pk}"')[1].split("</select>")[0]
    assert f'<option value="" selected>{Role.CO_LEAD.label}</option>' in co_lead_select
    client.post(
        reverse("communities:change_role", args=[community.slug, inner.pk]), {"role": Role.CORE}
    )
    inner.refresh_from_db()
    assert inner.role == Role.CORE


def test_the_invitation_page_answers_in_a_few_queries(
    client, invitation, other_member, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert client.get(invitation_url(invitation)).status_code == 200
    client.force_login(other_member)
    with django_assert_max_num_queries(12):
        assert client.get(invitation_url(invitation)).status_code == 200
