"""The community's home: who sees what, next steps, lifecycle actions, bounded queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import (
    Community,
    Decision,
    FramingVersion,
    MembershipStatus,
    Milestone,
    Review,
    Role,
    StateChange,
    Visibility,
)
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db

CONTENT_MARKERS = [
    'id="next-steps-heading"',
    'id="milestones-heading"',
    'id="latest-threads-heading"',
]


def detail(community):
    return reverse("communities:detail", args=[community.slug])


def shows_content(response):
    html = response.content.decode()
    present = [marker in html for marker in CONTENT_MARKERS]
    assert all(present) or not any(present), present
    return all(present)


def login_as(client, who, community):
    """Sign in as one of the people of the visibility matrix; returns nothing for a visitor."""
    if who == "visitor":
        client.logout()
        return
    if who == "coordinator":
        person = CoordinatorFactory()
    elif who == "lead":
        person = community.lead
    elif who == "outsider":
        person = UserFactory()
    elif who == "pending":
        person = add_member(community, Role.OUTER, MembershipStatus.PENDING).user
    else:
        person = add_member(community, who).user
    client.force_login(person)


# (visibility, state, who) → "content", "presentation" or 404
MATRIX = [
    (Visibility.PUBLIC, State.ACTIVE, "visitor", "presentation"),
    (Visibility.NETWORK, State.ACTIVE, "visitor", 404),
    (Visibility.PRIVATE, State.ACTIVE, "visitor", 404),
    (Visibility.PUBLIC, State.ACTIVE, "outsider", "content"),
    (Visibility.NETWORK, State.ACTIVE, "outsider", "content"),
    (Visibility.PRIVATE, State.ACTIVE, "outsider", "presentation"),
    (Visibility.PRIVATE, State.ACTIVE, "pending", "presentation"),
    (Visibility.PRIVATE, State.ACTIVE, Role.OUTER, "content"),
    (Visibility.PRIVATE, State.ACTIVE, "coordinator", "content"),
    (Visibility.PUBLIC, State.DRAFT, "visitor", 404),
    (Visibility.PUBLIC, State.DRAFT, "outsider", 404),
    (Visibility.NETWORK, State.IN_REVIEW, "outsider", 404),
    (Visibility.NETWORK, State.DRAFT, "lead", "content"),
    (Visibility.NETWORK, State.DRAFT, Role.CO_LEAD, "content"),
    (Visibility.NETWORK, State.DRAFT, "coordinator", "content"),
]


@pytest.mark.parametrize(("visibility", "state", "who", "expected"), MATRIX)
def test_visibility_matrix(client, visibility, state, who, expected):
    community = CommunityFactory(visibility=visibility, state=state, next_steps="Secret du pilote")
    login_as(client, who, community)
    response = client.get(detail(community))
    if expected == 404:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert community.title in html
    assert community.lead.name in html
    assert shows_content(response) == (expected == "content")
    assert ("Secret du pilote" in html) == (expected == "content")


def test_private_presentation_is_title_purpose_and_lead_with_ask_to_join(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE, state=State.OPEN)
    client.force_login(UserFactory())
    html = client.get(detail(community)).content.decode()
    assert community.purpose in html
    assert community.problem_statement not in html
    assert "Atelier de lancement" not in html
    assert reverse("communities:join", args=[community.slug]) in html


def test_public_presentation_for_visitors_shows_the_summary_but_no_people(client):
    community = CommunityFactory(visibility=Visibility.PUBLIC, state=State.OPEN)
    member = add_member(community, Role.INNER).user
    html = client.get(detail(community)).content.decode()
    assert "Les forages ruraux tombent en panne" in html  # the problem statement
    assert member.name not in html
    assert reverse("account_login") in html


def test_home_shows_milestones_and_links_to_the_framing_the_members_and_the_history(client):
    community = CommunityFactory(target_size_min=5)
    add_member(community, Role.CO_LEAD)
    outer = add_member(community, Role.OUTER).user
    Milestone.objects.create(
        community=community,
        title="Rapport d'étape",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    StateChange.objects.create(
        community=community,
        from_state=State.OPEN,
        to_state=State.ACTIVE,
        actor=community.lead,
        reason="Réunion de lancement tenue",
    )
    client.force_login(outer)
    html = client.get(detail(community)).content.decode()
    assert "milestone--overdue" in html
    for name in ("members", "about", "history"):
        assert reverse(f"communities:{name}", args=[community.slug]) in html
    assert "Réunion de lancement tenue" not in html  # the history has its own page
    history = client.get(reverse("communities:history", args=[community.slug]))
    assert "Réunion de lancement tenue" in history.content.decode()
    about = client.get(reverse("communities:about", args=[community.slug])).content.decode()
    assert 'class="size-warning"' in about  # 3 members, at least 5 expected
    assert "Les forages ruraux tombent en panne" in about


def test_history_and_settings_are_for_readers_and_leads(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE, state=State.ACTIVE)
    history = reverse("communities:history", args=[community.slug])
    settings_page = reverse("communities:settings", args=[community.slug])
    client.force_login(UserFactory())
    assert client.get(history).status_code in (403, 404)
    assert client.get(settings_page).status_code in (403, 404)
    client.force_login(add_member(community, Role.INNER).user)
    assert client.get(history).status_code == 200
    assert client.get(settings_page).status_code == 403
    client.force_login(community.lead)
    assert client.get(settings_page).status_code == 200


def test_size_warning_above_the_maximum(client):
    community = CommunityFactory(target_size_min=1, target_size_max=2)
    for _ in range(2):
        add_member(community, Role.INNER)
    client.force_login(community.lead)
    response = client.get(detail(community))
    assert response.context["community"].size_warning == "above"


def test_own_membership_and_actions(client):
    community = CommunityFactory(state=State.OPEN)
    membership = add_member(community, Role.INNER)
    client.force_login(membership.user)
    html = client.get(detail(community)).content.decode()
    assert membership.objective in html
    assert reverse("communities:involvement", args=[community.slug]) in html
    assert reverse("communities:leave", args=[community.slug]) in html
    assert reverse("communities:join", args=[community.slug]) not in html

    pending = add_member(community, Role.OUTER, MembershipStatus.PENDING)
    client.force_login(pending.user)
    response = client.get(detail(community))
    assert response.context["membership"].status == MembershipStatus.PENDING
    assert reverse("communities:join", args=[community.slug]) not in response.content.decode()


def test_leads_see_their_actions_members_do_not(client):
    community = CommunityFactory(state=State.OPEN)
    client.force_login(community.lead)
    html = client.get(detail(community)).content.decode()
    assert reverse("communities:next_steps", args=[community.slug]) in html
    # The community's life (activate, archive, close) is in the settings, not on the home.
    assert reverse("communities:change_state", args=[community.slug, "activate"]) not in html
    settings_page = reverse("communities:settings", args=[community.slug])
    assert settings_page in html
    activate = reverse("communities:change_state", args=[community.slug, "activate"])
    settings_html = client.get(settings_page).content.decode()
    assert activate in settings_html
    assert reverse("communities:framing", args=[community.slug]) in settings_html
    inner = add_member(community, Role.INNER).user
    client.force_login(inner)
    html = client.get(detail(community)).content.decode()
    assert reverse("communities:framing", args=[community.slug]) not in html
    assert settings_page not in html
    assert reverse("communities:next_steps", args=[community.slug]) not in html


def test_draft_home_offers_submission_and_changes_requested_shows_the_comment(client, coordinator):
    community = CommunityFactory(state=State.CHANGES_REQUESTED)
    version = FramingVersion.objects.create(community=community, number=1, snapshot={})
    Review.objects.create(
        version=version,
        reviewer=coordinator,
        decision=Decision.REQUEST_CHANGES,
        comment="Précisez les jalons.",
    )
    client.force_login(community.lead)
    html = client.get(detail(community)).content.decode()
    assert "Précisez les jalons." in html
    assert reverse("communities:submit", args=[community.slug]) in html


def test_coordinator_sees_the_review_link_when_in_review(coordinator_client):
    community = CommunityFactory(state=State.IN_REVIEW)
    html = coordinator_client.get(detail(community)).content.decode()
    assert reverse("communities:review", args=[community.slug]) in html


# --- next steps -------------------------------------------------------------------------------


def test_lead_and_co_lead_update_the_next_steps(client):
    community = CommunityFactory()
    co_lead = add_member(community, Role.CO_LEAD).user
    for person, text in [(community.lead, "Réunion le 12"), (co_lead, "**Atelier** le 20")]:
        client.force_login(person)
        url = reverse("communities:next_steps", args=[community.slug])
        response = client.post(url, {"next_steps": text})
        assert response.status_code == 302
        community.refresh_from_db()
        assert community.next_steps == text
        assert community.next_steps_updated_at is not None
    html = client.get(detail(community)).content.decode()
    assert "<strong>Atelier</strong>" in html


@pytest.mark.parametrize(
    ("who", "status"), [(Role.CORE, 403), (Role.INNER, 403), ("outsider", 403)]
)
def test_others_cannot_update_the_next_steps(client, who, status):
    community = CommunityFactory(next_steps="Inchangé")
    login_as(client, who, community)
    response = client.post(
        reverse("communities:next_steps", args=[community.slug]), {"next_steps": "Piraté"}
    )
    assert response.status_code == status
    community.refresh_from_db()
    assert community.next_steps == "Inchangé"


def test_next_steps_of_a_private_community_answer_404_to_outsiders(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE, next_steps="Inchangé")
    client.force_login(UserFactory())
    response = client.post(
        reverse("communities:next_steps", args=[community.slug]), {"next_steps": "Piraté"}
    )
    assert response.status_code == 404


# --- lifecycle actions ------------------------------------------------------------------------


def test_lead_marks_the_community_active(client, django_capture_on_commit_callbacks):
    community = CommunityFactory(state=State.OPEN)
    inner = add_member(community, Role.INNER).user
    client.force_login(community.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:change_state", args=[community.slug, "activate"]),
            {"reason": "Réunion de lancement tenue le 3 mars"},
        )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.state == State.ACTIVE
    change = community.state_changes.get(to_state=State.ACTIVE)
    assert change.actor == community.lead
    assert change.reason == "Réunion de lancement tenue le 3 mars"
    assert Notification.objects.filter(recipient=inner, kind="community.state_changed").exists()


@pytest.mark.parametrize("name", ["close", "dissolve"])
def test_closing_and_dissolving_go_through_the_closing_page(client, name):
    """Not a bare state change: a forged address gets 404, and nothing changes."""
    community = CommunityFactory(state=State.ACTIVE)
    client.force_login(community.lead)
    url = reverse("communities:change_state", args=[community.slug, name])
    assert client.post(url, {"reason": "Fin"}).status_code == 404
    community.refresh_from_db()
    assert community.state == State.ACTIVE


def test_members_cannot_change_the_state(client):
    community = CommunityFactory(state=State.OPEN)
    client.force_login(add_member(community, Role.CORE).user)
    url = reverse("communities:change_state", args=[community.slug, "activate"])
    assert client.post(url).status_code == 403
    community.refresh_from_db()
    assert community.state == State.OPEN


@pytest.mark.parametrize("name", ["submit", "validate", "request_changes", "decline", "nope"])
def test_review_steps_are_not_home_actions(coordinator_client, name):
    community = CommunityFactory(state=State.IN_REVIEW)
    url = reverse("communities:change_state", args=[community.slug, name])
    assert coordinator_client.post(url, {"reason": "x"}).status_code == 404
    assert Community.objects.get(pk=community.pk).state == State.IN_REVIEW


def test_a_transition_from_the_wrong_state_shows_a_message(client):
    community = CommunityFactory(state=State.ACTIVE)
    client.force_login(community.lead)
    url = reverse("communities:change_state", args=[community.slug, "activate"])
    assert client.post(url).status_code == 403  # not offered: activate_community needs "open"
    community.refresh_from_db()
    assert community.state == State.ACTIVE


# --- bounded queries --------------------------------------------------------------------------


def community_of(size):
    """An active community of `size` members in every circle, a milestone and a change each."""
    community = CommunityFactory(state=State.ACTIVE)
    roles = [Role.CO_LEAD, Role.CORE, Role.INNER, Role.OUTER]
    for i in range(size - 1):
        membership = add_member(community, roles[min(i, 3)])
        Milestone.objects.create(
            community=community,
            title=f"Jalon {i}",
            due_date=timezone.localdate(),
            owner=membership.user,
        )
        StateChange.objects.create(
            community=community, to_state=State.ACTIVE, actor=membership.user
        )
    return community


# Once read, the facts beside the discussions (stage, stories, mentors, recruiting, season,
# milestones, latest update) come from the cache (communities/freshness.py): at most 12, flat.
HOME_QUERY_BOUND = 12


def test_home_costs_a_bounded_number_of_queries_with_5_or_60_members(
    client, django_assert_max_num_queries
):
    for community in (community_of(5), community_of(60)):
        for person in (community.lead, community.memberships.exclude(role=Role.LEAD)[0].user):
            client.force_login(person)
            client.get(detail(community))  # warm the session and caches
            with django_assert_max_num_queries(HOME_QUERY_BOUND):
                assert client.get(detail(community)).status_code == 200
