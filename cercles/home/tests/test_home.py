import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_visitors_see_recruiting_public_communities_only(client):
    public = CommunityFactory(visibility=Visibility.PUBLIC, state=State.OPEN)
    network = CommunityFactory(visibility=Visibility.NETWORK, state=State.OPEN)
    private = CommunityFactory(visibility=Visibility.PRIVATE, state=State.OPEN)
    draft = CommunityFactory(visibility=Visibility.PUBLIC, state=State.DRAFT)
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert public.title in html
    for hidden in (network, private, draft):
        assert hidden.title not in html


def test_visitors_home_is_served_from_the_cache_and_forgotten_when_a_community_changes(
    client, django_assert_num_queries
):
    community = CommunityFactory(visibility=Visibility.PUBLIC, state=State.OPEN, title="Forages")
    assert "Forages" in client.get("/").content.decode()
    with django_assert_num_queries(0):
        assert "Forages" in client.get("/").content.decode()
    # Each change the page shows makes it read again: a title, a member joining, a lead's name.
    community.title = "Forages et puits"
    community.save()
    assert "Forages et puits" in client.get("/").content.decode()
    add_member(community, Role.INNER)
    assert f"{community.member_count} / " in client.get("/").content.decode()
    community.lead.display_name = "Awa Diallo-Sow"
    community.lead.save()
    assert "Awa Diallo-Sow" in client.get("/").content.decode()
    # Someone logging in changes nothing the page shows: it stays cached.
    update_last_login(None, community.lead)
    with django_assert_num_queries(0):
        client.get("/")
    # Each language has its own copy.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Communities looking for members" in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Communautés qui cherchent des membres" in client.get("/").content.decode()


def test_members_see_their_communities_and_next_meetings(client):
    person = UserFactory()
    mine = CommunityFactory(next_steps="Préparer l’atelier de janvier")
    add_member(mine, Role.INNER, user=person)
    other = CommunityFactory()
    soon = timezone.now() + datetime.timedelta(days=3)
    Meeting.objects.create(
        community=mine, title="Atelier de janvier", starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2), time_zone="Africa/Dakar", place="Thiès",
    )  # fmt: skip
    Meeting.objects.create(
        community=other, title="Réunion d'une autre communauté", starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2), time_zone="Africa/Dakar", place="Dakar",
    )  # fmt: skip
    client.force_login(person)
    html = client.get("/").content.decode()
    assert mine.title in html and "Préparer l’atelier de janvier" in html
    assert "Atelier de janvier" in html
    assert "Réunion d'une autre communauté" not in html


def test_home_costs_the_same_for_a_member_of_3_or_30_communities(
    client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = UserFactory(), UserFactory()
    for index in range(30):
        community = CommunityFactory()
        add_member(community, Role.INNER, user=many)
        if index < 3:
            add_member(community, Role.INNER, user=few)
    client.force_login(few)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    cost_for_few = len(queries)  # read now: the next assertion clears the query log
    client.force_login(many)
    client.get("/")
    with django_assert_max_num_queries(cost_for_few + 1):  # + the count of all memberships
        response = client.get("/")
    assert len(response.context["memberships"]) == 12
    assert response.context["membership_count"] == 30


def test_coordinators_see_how_many_framings_wait(client):
    CommunityFactory(state=State.IN_REVIEW)
    client.force_login(CoordinatorFactory())
    assert client.get("/").context["waiting_for_review"] == 1
