"""Progress updates: who posts and reads them, help reaching the coordinators, bad input, cost."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_rules import ROLES, VISIBILITIES, person_with_role
from cercles.coordination import services
from cercles.coordination.models import ProgressUpdate
from cercles.core.models import AuditEvent
from cercles.notifications.models import Notification

pytestmark = pytest.mark.django_db


def list_url(community):
    return reverse("updates:list", args=[community.slug])


def new_url(community):
    return reverse("updates:new", args=[community.slug])


@pytest.fixture
def community():
    return CommunityFactory()


# --- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "visibility"), list(itertools.product(ROLES, VISIBILITIES)))
def test_who_posts_updates(role, visibility):
    community = CommunityFactory(visibility=visibility)
    person = person_with_role(role, community)
    assert person.has_perm("coordination.post_update", community) is (role in {"lead", "co_lead"})


@pytest.mark.parametrize("state", [State.DRAFT, State.CLOSED, State.ARCHIVED])
def test_updates_are_posted_while_the_community_runs(state):
    community = CommunityFactory(state=state)
    assert not community.lead.has_perm("coordination.post_update", community)


# --- services ------------------------------------------------------------------------------------


def test_an_update_with_help_needed_reaches_every_coordinator(
    community, django_capture_on_commit_callbacks
):
    coordinators = [CoordinatorFactory(), CoordinatorFactory()]
    member = add_member(community).user
    with django_capture_on_commit_callbacks(execute=True):
        update = services.post_update(
            community.lead,
            community,
            done="Deux ateliers tenus.",
            help_needed="  Nous cherchons un hydrogéologue pour relire le guide.  ",
        )
    assert update.help_needed == "Nous cherchons un hydrogéologue pour relire le guide."
    sent = Notification.objects.filter(kind="coordination.help_needed")
    assert {n.recipient for n in sent} == set(coordinators)
    note = sent.first()
    assert note.params["note"] == update.help_needed
    assert note.url == f"{list_url(community)}#update-{update.pk}"
    assert not Notification.objects.filter(recipient=member).exists()
    assert AuditEvent.objects.filter(action="update.posted").exists()


def test_an_update_without_help_tells_nobody(community, django_capture_on_commit_callbacks):
    CoordinatorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(community.lead, community, next_steps="Préparer le forum.")
    assert not Notification.objects.exists()


def test_an_empty_update_is_refused(community):
    with pytest.raises(ValidationError):
        services.post_update(community.lead, community, done="   ", blockers="\n")
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("role", [Role.CORE, Role.INNER])
def test_only_leads_post(community, role):
    person = add_member(community, role).user
    with pytest.raises(PermissionDenied):
        services.post_update(person, community, done="Rien")
    with pytest.raises(PermissionDenied):
        services.post_update(CoordinatorFactory(), community, done="Rien")


def test_co_leads_post(community):
    co_lead = add_member(community, Role.CO_LEAD).user
    assert services.post_update(co_lead, community, done="Fait").author == co_lead


# --- views ---------------------------------------------------------------------------------------


def test_the_lead_posts_an_update_from_the_form(
    client, community, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    client.force_login(community.lead)
    assert client.get(new_url(community)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url(community),
            {
                "done": "Atelier **tenu**",
                "next_steps": "",
                "blockers": "",
                "help_needed": "Un juriste",
            },
        )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=coordinator).count() == 1
    html = client.get(list_url(community)).content.decode()
    assert "<strong>tenu</strong>" in html and "update--help" in html


def test_an_empty_or_too_long_form_is_refused(client, community):
    client.force_login(community.lead)
    response = client.post(new_url(community), {"done": " ", "next_steps": ""})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    response = client.post(new_url(community), {"done": "x" * 5001})
    assert response.context["form"].errors["done"]
    assert not ProgressUpdate.objects.exists()


def test_markdown_is_sanitised(client, community):
    services.post_update(
        community.lead, community, done="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    client.force_login(community.lead)
    html = client.get(list_url(community)).content.decode()
    assert "<script>alert" not in html and 'href="javascript:' not in html


def test_who_reads_the_updates(client):
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    services.post_update(private.lead, private, done="Secret")
    client.force_login(UserFactory())
    assert client.get(list_url(private)).status_code == 404
    assert client.get(new_url(private)).status_code == 404
    client.force_login(CoordinatorFactory())
    assert "Secret" in client.get(list_url(private)).content.decode()
    assert client.get(new_url(private)).status_code == 403
    client.force_login(add_member(private, Role.OUTER).user)
    response = client.get(list_url(private))
    assert "Secret" in response.content.decode()
    assert new_url(private) not in response.content.decode()
    assert client.post(new_url(private), {"done": "Moi aussi"}).status_code == 403
    assert ProgressUpdate.objects.count() == 1


def test_updates_are_listed_newest_first_and_paginated(client, community):
    for n in range(12):
        services.post_update(community.lead, community, done=f"Étape {n}")
    client.force_login(community.lead)
    response = client.get(list_url(community))
    updates = list(response.context["updates"])
    assert [u.done for u in updates[:2]] == ["Étape 11", "Étape 10"]
    assert len(updates) == 10
    assert [u.done for u in client.get(list_url(community) + "?page=2").context["updates"]] == [
        "Étape 1",
        "Étape 0",
    ]


def test_the_list_costs_the_same_with_1_and_10_updates(client, django_assert_max_num_queries):
    small, large = CommunityFactory(), CommunityFactory()
    co_lead = add_member(large, Role.CO_LEAD).user
    services.post_update(small.lead, small, done="Un")
    for n in range(10):
        services.post_update(co_lead if n % 2 else large.lead, large, done=f"{n}")
    client.force_login(CoordinatorFactory())
    client.get(list_url(small))
    with CaptureQueriesContext(connection) as queries:
        client.get(list_url(small))
    with django_assert_max_num_queries(len(queries)):
        response = client.get(list_url(large))
    assert len(response.context["updates"]) == 10


def test_the_section_is_listed_for_readers(client, community):
    client.force_login(add_member(community).user)
    html = client.get(reverse("communities:detail", args=[community.slug])).content.decode()
    assert list_url(community) in html
    assert reverse("communities:milestones", args=[community.slug]) in html
