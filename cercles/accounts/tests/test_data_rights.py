"""Personal API tokens, "download my data", "delete my account", the privacy page and the
coordinators' audit log."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cercles.accounts import services
from cercles.accounts.models import ApiToken, PersonalDataExport, TokenScope, User
from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities.models import (
    Invitation,
    Membership,
    MembershipStatus,
    Role,
    Visibility,
)
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import ArchiveStatus, AuditEvent
from cercles.discussions.tests.factories import start_thread
from cercles.notifications.models import Notification
from cercles.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


# --- tokens -----------------------------------------------------------------------------------


def test_token_is_shown_once_and_stored_hashed(member_client, member):
    response = member_client.post(
        reverse("api_token_create"),
        {"name": "Site du réseau", "scope": "read", "lifetime_days": "30"},
    )
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.startswith("cer_") and raw in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get(user=member)
    assert token.key_hash == ApiToken.hash_of(raw) and raw not in token.key_hash
    assert token.scope == TokenScope.READ
    page = member_client.get(reverse("profile_edit")).content.decode()
    assert "Site du réseau" in page and raw not in page
    assert AuditEvent.objects.filter(action="api_token.created", actor=member).exists()


def test_token_form_errors_stay_next_to_the_fields(member_client, member):
    response = member_client.post(
        reverse("api_token_create"), {"name": "", "scope": "admin", "lifetime_days": "9999"}
    )
    assert response.status_code == 400
    form = response.context["token_form"]
    assert set(form.errors) == {"name", "scope", "lifetime_days"}
    assert not ApiToken.objects.exists()


def test_token_revoked_by_its_owner_only(client, member, other_member):
    token, _raw = services.create_api_token(member, name="x", scope="write", lifetime_days=7)
    client.force_login(other_member)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    client.force_login(member)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked").exists()


def test_token_lifetime_and_number_are_bounded(member):
    with pytest.raises(ValidationError):
        services.create_api_token(member, name="x", scope="read", lifetime_days=5000)
    for n in range(services.MAX_LIVE_TOKENS):
        services.create_api_token(member, name=f"t{n}", scope="read", lifetime_days=7)
    with pytest.raises(ValidationError):
        services.create_api_token(member, name="one more", scope="read", lifetime_days=7)


# --- download my data -------------------------------------------------------------------------


def test_download_my_data(client, django_capture_on_commit_callbacks):
    person = UserFactory(display_name="Awa Diallo", bio="Animatrice de comités de l'eau.")
    community = CommunityFactory()
    add_member(community, user=person)
    thread = start_thread(community, person, title="Forages", body="Mon premier message")
    notify(person, "community.submitted", actor=community.lead, community=community.title)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("my_data"))
    assert response.status_code == 302
    export = PersonalDataExport.objects.get(user=person)
    assert export.status == ArchiveStatus.READY  # jobs run inline in tests
    assert Notification.objects.filter(recipient=person, kind="account.data_ready").exists()
    page = client.get(reverse("my_data")).content.decode()
    assert reverse("my_data_download", args=[export.pk]) in page
    download = client.get(reverse("my_data_download", args=[export.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert {"README.md", "profile/profile.json", "profile/consents.json",
            "memberships/memberships.json", "posts/posts.json", "posts/posts.md",
            "notifications/notifications.json", "meetings/answers.json",
            "library/items.json"} <= names  # fmt: skip
    profile = json.loads(archive.read("profile/profile.json"))
    assert profile["display_name"] == "Awa Diallo" and profile["email"] == person.email
    posts = json.loads(archive.read("posts/posts.json"))
    assert [p["body"] for p in posts] == ["Mon premier message"]
    assert posts[0]["thread"] == thread.title
    memberships = json.loads(archive.read("memberships/memberships.json"))
    assert [m["community"] for m in memberships] == [community.title]
    assert "key_hash" not in archive.read("profile/consents.json").decode()


def test_nobody_else_downloads_my_data(client, member, other_member):
    client.force_login(member)
    client.post(reverse("my_data"))  # the link is refused before the archive is even read
    export = PersonalDataExport.objects.get(user=member)
    client.force_login(other_member)
    assert client.get(reverse("my_data_download", args=[export.pk])).status_code == 404
    client.force_login(CoordinatorFactory())
    assert client.get(reverse("my_data_download", args=[export.pk])).status_code == 404


def test_expired_archive_is_gone(client, member, django_capture_on_commit_callbacks):
    from cercles.core.archives import forget_expired_archives

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("my_data"))
    export = PersonalDataExport.objects.get(user=member)
    path = export.file.path
    PersonalDataExport.objects.filter(pk=export.pk).update(expires_at=export.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        assert forget_expired_archives() == 1
    export.refresh_from_db()
    assert export.status == ArchiveStatus.EXPIRED and not export.file
    import os

    assert not os.path.exists(path)
    response = client.get(reverse("my_data_download", args=[export.pk]))
    assert response.status_code == 410


# --- delete my account ------------------------------------------------------------------------


def test_member_deletes_their_account(client, mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory(display_name="Awa Diallo")
    community = CommunityFactory()
    add_member(community, user=person)
    thread = start_thread(community, person, title="Forages", body="Bonjour à tous")
    raw = services.create_api_token(person, name="x", scope="read", lifetime_days=7)[1]
    told = notify(community.lead, "community.submitted", actor=person, community="X")[0]
    invitation = Invitation.objects.create(
        community=CommunityFactory(), email=person.email, invitee=person, token="t" * 20
    )
    elsewhere = Client()
    elsewhere.force_login(person)  # signed in on another device too
    client.force_login(person)
    assert Session.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("delete_my_account"), {"password": PASSWORD, "confirm": "on"}
        )
    assert Session.objects.count() == 0  # signed out here, and everywhere else
    assert elsewhere.get("/api/me").status_code == 401
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_deleted and not person.is_active
    assert person.name == "ancien membre"
    assert person.email.endswith("@deleted.invalid") and not person.display_name
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not person.has_usable_password()
    assert ApiToken.objects.get(key_hash=ApiToken.hash_of(raw)).revoked_at is not None
    membership = Membership.objects.get(user=person)
    assert membership.status == MembershipStatus.LEFT
    community.refresh_from_db()
    assert community.member_count == 1
    # The post stays, signed by the former member.
    page = client.get(thread.get_absolute_url())
    assert page.status_code == 302  # signed out
    reader = CoordinatorFactory()
    client.force_login(reader)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Bonjour à tous" in page and "ancien membre" in page and "Awa Diallo" not in page
    # Emails stop at once: nothing is sent to a deleted account.
    mail.outbox.clear()
    notify(person, "community.submitted", actor=reader, community="X")
    assert mail.outbox == []
    event = AuditEvent.objects.get(action="account.deleted")
    assert event.details["by_self"] is True
    # Nothing left elsewhere says who they were.
    told.refresh_from_db()
    assert told.params["actor"] == "ancien membre" and "Awa" not in told.message
    invitation.refresh_from_db()
    assert invitation.email == person.email and invitation.status == "cancelled"


def test_deletion_needs_the_password_and_keeps_the_form(member_client, member):
    response = member_client.post(
        reverse("delete_my_account"), {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    member.refresh_from_db()
    assert member.is_active


def test_a_lead_hands_over_before_leaving(member_client, member):
    community = CommunityFactory(lead=member)
    page = member_client.get(reverse("delete_my_account"))
    assert community.title in page.content.decode()
    response = member_client.post(
        reverse("delete_my_account"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.is_active
    with pytest.raises(ValidationError):
        services.delete_account(member, member, password=PASSWORD)


def test_lead_of_a_closed_community_may_leave(member):
    CommunityFactory(lead=member, state="closed")
    services.delete_account(member, member, password=PASSWORD)
    member.refresh_from_db()
    assert member.is_deleted


def test_deleting_twice_is_refused(member):
    services.delete_account(member, member, password=PASSWORD)
    with pytest.raises(ValidationError):
        services.delete_account(member, User.objects.get(pk=member.pk), password=PASSWORD)
    coordinator = CoordinatorFactory()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.delete_account(coordinator, member, reason="encore")


def test_coordinator_deletes_on_request_with_a_record(client, django_capture_on_commit_callbacks):
    coordinator, other = CoordinatorFactory(), CoordinatorFactory()
    lead = UserFactory(display_name="Moussa Traoré")
    community = CommunityFactory(lead=lead)
    client.force_login(coordinator)
    page = client.get(reverse("people:delete", args=[lead.username])).content.decode()
    assert community.title in page  # the coordinator is warned first
    response = client.post(reverse("people:delete", args=[lead.username]), {"reason": ""})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:delete", args=[lead.username]),
            {"reason": "Demande par courriel du 3 mars"},
        )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.is_deleted
    event = AuditEvent.objects.get(action="account.deleted")
    assert (
        event.actor == coordinator and event.details["reason"] == "Demande par courriel du 3 mars"
    )
    assert event.ip_address == "127.0.0.1"
    # The other coordinators learn that the community lost its lead.
    assert Notification.objects.filter(recipient=other, kind="community.lead_deleted").exists()


def test_only_coordinators_delete_others(client, member, other_member):
    client.force_login(member)
    assert client.get(reverse("people:delete", args=[other_member.username])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.delete_account(member, other_member, reason="x")


def test_privacy_page_is_public(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert "ancien membre" in response.content.decode()


# --- audit log --------------------------------------------------------------------------------


def test_audit_log_for_coordinators_with_filters(client, django_assert_max_num_queries):
    coordinator = CoordinatorFactory(display_name="Fatou Ndiaye")
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    membership = add_member(community)
    client.force_login(community.lead)
    client.post(
        reverse("communities:change_role", args=[community.slug, membership.pk]), {"role": "core"}
    )
    client.force_login(coordinator)
    services.grant_coordinator_role(coordinator, UserFactory())
    services.create_api_token(coordinator, name="x", scope="read", lifetime_days=7)
    url = reverse("coordination:audit_log")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    rows = page.context["page"].object_list
    labels = {str(event.label) for event in rows}
    assert {"Rôle modifié", "Rôle de coordinateur accordé", "Jeton d’API créé"} <= labels
    role_event = next(e for e in rows if e.action == "membership.role_changed")
    assert role_event.ip_address == "127.0.0.1" and role_event.target_object == community
    # Ordinary actions (a profile saved) are not in the sensitive log.
    assert all(e.action != "profile.updated" for e in rows)
    only = client.get(url, {"action": "membership.role_changed"}).context["page"].object_list
    assert [e.action for e in only] == ["membership.role_changed"]
    by = client.get(url, {"person": "Fatou"}).context["page"].object_list
    assert {e.actor for e in by} == {coordinator}
    bad = client.get(url, {"since": "2030-01-02", "until": "2030-01-01"})
    assert "until" in bad.context["form"].errors


def test_audit_log_is_for_coordinators_only(member_client):
    assert member_client.get(reverse("coordination:audit_log")).status_code == 404


def test_role_change_by_a_lead_reaches_the_audit_log(client):
    community = CommunityFactory()
    membership = add_member(community, role=Role.INNER)
    client.force_login(community.lead)
    client.post(
        reverse("communities:change_role", args=[community.slug, membership.pk]),
        {"role": "core"},
        REMOTE_ADDR="203.0.113.7",
    )
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.ip_address == "203.0.113.7"
