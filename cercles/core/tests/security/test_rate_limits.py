"""Rate limits on posting, invitations and search (issue 19, deliverable 3), with a 429 page.

The accounts' limits are allauth's (test_found_from_outside.py) and the API's have their own
tests (cercles/api/tests). Limits are tightened here with override_settings to stay fast.
"""

import copy

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from cercles.communities.tests.factories import CommunityFactory, MembershipFactory
from cercles.discussions.models import Post
from cercles.discussions.tests.factories import start_thread


def tightened(action, rate):
    limits = copy.deepcopy(settings.RATE_LIMITS)
    limits[action]["rate"] = rate
    return override_settings(RATE_LIMITS=limits)


@pytest.mark.django_db
def test_posting_past_the_limit_gets_the_friendly_429_page(client):
    community = CommunityFactory()
    member = MembershipFactory(community=community).user
    thread = start_thread(community, community.lead)
    client.force_login(member)
    url = reverse("discussions:reply", args=[community.slug, thread.pk])
    with tightened("posting", "3/m"):
        answers = [client.post(url, {"body": f"Réponse {i}"}).status_code for i in range(4)]
        assert answers == [302, 302, 302, 429]
        refused = client.post(url, {"body": "Encore"})
    assert refused["Retry-After"] == "60"
    assert "Ralentissez" in refused.content.decode()
    assert Post.objects.filter(thread=thread).count() == 4  # the first post and 3 replies
    # Another person is not slowed down by the first one.
    client.force_login(community.lead)
    with tightened("posting", "3/m"):
        assert client.post(url, {"body": "Le porteur répond"}).status_code == 302


@pytest.mark.django_db
def test_search_words_are_limited_per_address_for_visitors(client):
    with tightened("search", "5/m"):
        answers = [client.get("/communities/", {"q": "eau"}).status_code for _ in range(6)]
        assert answers == [200] * 5 + [429]
        # Browsing without words is not a search.
        assert client.get("/communities/").status_code == 200


@pytest.mark.django_db
def test_invitations_are_limited(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    url = reverse("communities:invite", args=[community.slug])
    with tightened("invitations", "2/h"):
        answers = [client.post(url, {"emails": f"p{i}@example.org"}).status_code for i in range(3)]
    assert answers[-1] == 429 and 429 not in answers[:2]


def test_every_limited_route_exists():
    from cercles.core.tests.test_routes import project_routes

    names = {name for name, _ in project_routes()}
    namespaces = {name.split(":")[0] for name in names if ":" in name}
    for limit in settings.RATE_LIMITS.values():
        for view in limit["views"]:
            if view.endswith(":*"):
                # A whole app; "search" may not be installed yet.
                assert view[:-2] in namespaces or view == "search:*", view
            else:
                assert view in names, view
