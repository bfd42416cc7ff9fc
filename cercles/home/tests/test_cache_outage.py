"""A cache outage (Redis lost) degrades to uncached pages, never to errors (issue 20).

The cache points at a port where nothing listens: every read misses, every write is dropped, and
the pages, the log in and the sessions (read from the database) go on working.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db

LOST_REDIS = {
    "default": {
        "BACKEND": "cercles.core.cache.OutageTolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}

lost_redis = override_settings(
    CACHES=LOST_REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
)


@lost_redis
def test_the_cache_is_really_unreachable_and_reads_as_empty():
    cache.set("probe", "value")
    assert cache.get("probe") is None
    assert cache.get_or_set("probe", "computed") == "computed"


@lost_redis
def test_pages_log_in_and_sessions_work_without_the_cache(client):
    community = CommunityFactory(
        visibility=Visibility.PUBLIC, state=State.OPEN, title="Forages partagés"
    )
    member = UserFactory(email="awa@example.org")
    member.set_password("un mot de passe solide 42")
    member.save()
    add_member(community, role=Role.INNER, user=member)

    home = client.get("/")
    assert home.status_code == 200 and "Forages partagés" in home.content.decode()

    logged_in = client.post(
        "/accounts/login/", {"login": "awa@example.org", "password": "un mot de passe solide 42"}
    )
    assert logged_in.status_code == 302
    for address in (
        "/",
        community.get_absolute_url(),
        "/communities/",
        "/notifications/",
        "/search/?q=forages",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
    # The session lives on from the database alone.
    assert client.get("/notifications/").wsgi_request.user == member


@lost_redis
def test_the_coordinators_pages_work_without_the_cache(client):
    CommunityFactory(state=State.OPEN)
    client.force_login(CoordinatorFactory())
    for address in ("/coordination/", "/reports/"):
        assert client.get(address).status_code == 200, address
