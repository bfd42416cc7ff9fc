"""Recruiting with allies (issue 11): key people to approach, relays who invite, and who joined
through whom on the community's home."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import recruiting, services
from cercles.communities.lifecycle import State
from cercles.communities.models import Invitation, KeyPerson, KeyPersonStatus, Role, Visibility
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member
from .test_rules import ROLES, person_with_role

pytestmark = pytest.mark.django_db

LEADS = {"lead", "co_lead"}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_recruiting(role):
    community = CommunityFactory(visibility=Visibility.NETWORK)
    person = person_with_role(role, community)
    assert person.has_perm("communities.manage_key_people", community) is (role in LEADS)
    assert person.has_perm("communities.view_key_people", community) is (
        role in LEADS | {"coordinator"}
    )
    assert person.has_perm("communities.manage_relays", community) is (role in LEADS)
    assert person.has_perm("communities.invite_members", community) is (role in LEADS)


def test_a_relay_invites_and_the_home_shows_who_joined_through_them(
    client, django_capture_on_commit_callbacks
):
    community = CommunityFactory()
    relay = add_member(community, Role.INNER)
    with django_capture_on_commit_callbacks(execute=True):
        recruiting.set_relay(community.lead, relay, True)
    assert Notification.objects.filter(recipient=relay.user, kind="communities.relay_named")
    newcomer = UserFactory()
    invitation = services.invite(relay.user, community, email=newcomer.email)
    services.answer_invitation(newcomer, invitation, accept=True)
    rows = recruiting.joined_through(community)
    assert [(inviter, count) for inviter, count, _people in rows] == [(relay.user, 1)]
    client.force_login(community.lead)
    html = client.get(community.get_absolute_url()).content.decode()
    assert 'class="joined-through"' in html and newcomer.name in html


def test_a_relay_no_longer_relay_cannot_invite(client):
    community = CommunityFactory()
    relay = add_member(community, Role.INNER)
    recruiting.set_relay(community.lead, relay, True)
    recruiting.set_relay(community.lead, relay, False)
    with pytest.raises(PermissionDenied):
        services.invite(relay.user, community, email="someone@example.org")
    client.force_login(relay.user)
    response = client.post(
        reverse("communities:invite", args=[community.slug]),
        {"email": "someone@example.org", "purpose": "member", "message": ""},
    )
    assert response.status_code == 403
    assert "relay" in response.content.decode() or "relais" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_the_leads_name_relays(client):
    community = CommunityFactory()
    inner = add_member(community, Role.INNER)
    core = add_member(community, Role.CORE).user
    client.force_login(core)
    url = reverse("communities:set_relay", args=[community.slug, inner.pk])
    assert client.post(url, {"relay": "1"}).status_code == 403
    inner.refresh_from_db()
    assert not inner.is_relay
    client.force_login(community.lead)
    assert client.post(url, {"relay": "1"}).status_code == 302
    inner.refresh_from_db()
    assert inner.is_relay


def test_the_lead_keeps_a_list_of_key_people_before_recruiting(client):
    community = CommunityFactory(state=State.DRAFT)
    client.force_login(community.lead)
    url = reverse("communities:key_people", args=[community.slug])
    response = client.post(url, {"name": "", "reason": "", "status": "to_contact"})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    response = client.post(
        url,
        {"name": "Awa Diop", "organisation": "Fédération des comités",
         "reason": "Tête de réseau des comités de l'eau", "status": "to_contact"},
    )  # fmt: skip
    assert response.status_code == 302
    person = KeyPerson.objects.get()
    client.post(
        reverse("communities:key_person_status", args=[community.slug, person.pk]),
        {"status": "met"},
    )
    person.refresh_from_db()
    assert person.status == KeyPersonStatus.MET
    # Members other than the leads do not see the list.
    client.force_login(add_member(community, Role.INNER).user)
    assert client.get(url).status_code in (403, 404)


def test_the_key_people_of_another_community_answer_404(client):
    community, other = CommunityFactory(), CommunityFactory()
    person = recruiting.add_key_person(other.lead, other, name="X", reason="Y")
    client.force_login(community.lead)
    url = reverse("communities:key_person_status", args=[community.slug, person.pk])
    assert client.post(url, {"status": "joined"}).status_code == 404
    assert KeyPerson.objects.get(pk=person.pk).status == KeyPersonStatus.TO_CONTACT


# --- support from the members' organisations (seed 001) -----------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_support(role):
    community = CommunityFactory(visibility=Visibility.NETWORK)
    person = person_with_role(role, community)
    members = {"outer", "inner", "core", "co_lead", "lead"}
    assert person.has_perm("communities.record_support", community) is (role in members)
    assert person.has_perm("communities.view_support", community) is (
        role in LEADS | {"coordinator"}
    )


def test_a_member_records_support_and_the_lead_sees_the_count(client, settings, tmp_path):
    from cercles.library.tests.factories import pdf_upload

    settings.MEDIA_ROOT = tmp_path
    community = CommunityFactory()
    member = add_member(community, Role.OUTER)
    client.force_login(member.user)
    response = client.post(
        reverse("communities:support", args=[community.slug]),
        {"support_from": "Awa Diop, directrice", "letter": pdf_upload("lettre.pdf")},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.support_from == "Awa Diop, directrice" and member.support_letter
    letter = reverse("communities:support_letter", args=[community.slug, member.pk])
    assert client.get(letter).status_code == 200
    # Another member may not read the letter; the lead sees the count and the letter.
    client.force_login(add_member(community, Role.INNER).user)
    assert client.get(letter).status_code == 403
    client.force_login(community.lead)
    page = client.get(reverse("communities:members", args=[community.slug]))
    assert page.context["support_counts"] == (1, 3)
    assert client.get(letter).status_code == 200


def test_a_letter_that_is_not_a_document_is_refused_and_nothing_changes(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    community = CommunityFactory()
    member = add_member(community, Role.OUTER)
    client.force_login(member.user)
    fake = SimpleUploadedFile("lettre.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("communities:support", args=[community.slug]),
        {"support_from": "Awa Diop", "letter": fake},
    )
    assert response.status_code == 200 and response.context["form"].errors["letter"]
    member.refresh_from_db()
    assert member.support_from == "" and not member.support_letter


def test_the_support_goes_with_a_deleted_account():
    from cercles.communities.personal_data import erase

    community = CommunityFactory()
    member = add_member(community, Role.OUTER)
    recruiting.record_support(member.user, community, support_from="Ma directrice")
    erase(member.user, member.user)
    member.refresh_from_db()
    assert member.support_from == "" and not member.is_relay
