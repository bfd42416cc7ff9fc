"""Repeat views cost nothing (issue 20, deliverable 3): a page that has not changed since the
person last saw it answers 304 without a body, and never someone else's page or a stale one."""

import pytest
import time_machine
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions import services as discussions
from cercles.discussions.tests.factories import start_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def still_clock():
    """The clock stands still: "à l'instant" becoming "il y a une seconde" is a change."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture
def community():
    community = CommunityFactory(state=State.OPEN, title="Forages partagés")
    add_member(community, role=Role.INNER, user=UserFactory(first_name="Awa"))
    return community


def member_of(community):
    return community.memberships.exclude(role=Role.LEAD).first().user


def again(client, url, response, **headers):
    return client.get(url, headers={"If-None-Match": response["ETag"], **headers})


def test_an_unchanged_page_with_forms_answers_304_without_body_nor_csp(client, community):
    thread = start_thread(community, community.lead)
    client.force_login(member_of(community))
    url = thread.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and 'name="csrfmiddlewaretoken"' in first.content.decode()
    assert "Content-Security-Policy" in first and "no-cache" in first["Cache-Control"]
    repeat = again(client, url, first)
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == first["ETag"]
    # The browser keeps the headers of the page it holds: a new nonce would block its scripts.
    assert "Content-Security-Policy" not in repeat
    assert "Cookie" in repeat["Vary"]


def test_every_page_of_a_community_answers_304_when_unchanged(client, community):
    start_thread(community, community.lead)
    client.force_login(member_of(community))
    slug = community.slug
    for url in (
        community.get_absolute_url(),
        f"/communities/{slug}/discussions/",
        "/communities/",
        "/notifications/",
        "/",
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        assert again(client, url, first).status_code == 304, url


def test_a_change_sends_the_page_again(client, community):
    thread = start_thread(community, community.lead)
    reader = member_of(community)
    client.force_login(reader)
    url = thread.get_absolute_url()
    first = client.get(url)
    discussions.reply(community.lead, thread, body="Nous curons le puits chaque saison sèche.")
    changed = again(client, url, first)
    assert changed.status_code == 200
    assert "chaque saison sèche" in changed.content.decode()


def test_another_persons_version_is_never_confirmed(client, community):
    """The lead's page and a member's differ (the lead's shortcuts): the member sending the
    lead's ETag gets their own page, in full."""
    url = community.get_absolute_url()
    client.force_login(community.lead)
    leads = client.get(url)
    client.force_login(member_of(community))
    members = again(client, url, leads)
    assert members.status_code == 200
    assert members["ETag"] != leads["ETag"]


def test_a_new_log_in_sends_the_page_again(client, community):
    """Logging in again gives a new CSRF secret: the page kept from before holds tokens of the
    old one, which would refuse the person's next post."""
    person = member_of(community)
    client.force_login(person)
    url = community.get_absolute_url()
    first = client.get(url)
    client.logout()
    client.force_login(person)
    client.get("/")  # a new CSRF secret is given with the first page
    assert again(client, url, first).status_code == 200


def test_compressed_pages_are_confirmed_too(client, community):
    client.force_login(member_of(community))
    url = community.get_absolute_url()
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip" and first["ETag"].startswith('W/"')
    repeat = again(client, url, first, **{"Accept-Encoding": "gzip"})
    assert repeat.status_code == 304


def test_visitors_pages_and_posts(client, community):
    first = client.get("/")
    assert again(client, "/", first).status_code == 304
    # A post is never answered 304, whatever it sends.
    client.force_login(member_of(community))
    response = client.post("/notifications/read-all", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 302
