"""Never a leak: for every kind, who finds a private community's content, and who does not.

These tests run on the engine of the test database: SQLite by default, PostgreSQL when
DATABASE_URL points at one (both are run before landing)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cercles.communities.lifecycle import State
from cercles.search.query import search, suggest

from .world import KINDS, World, word

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def found(user, text):
    return [(hit.entry.kind, hit.entry.title) for hit in search(user, text).hits]


@pytest.mark.parametrize("kind", KINDS)
def test_private_content_found_by_members_and_coordinators_only(world, kind):
    text = word("priv", kind)
    assert found(world.member, text), kind
    assert found(world.lead, text), kind
    assert found(world.coordinator, text), kind
    if kind == "community":
        # The presentation of a published private community is shown to the network.
        assert found(world.outsider, text)
        assert not found(AnonymousUser(), text)
        return
    assert not found(world.outsider, text), kind
    assert not found(world.former, text), kind
    assert not found(AnonymousUser(), text), kind
    assert not suggest(world.outsider, text), kind
    assert not suggest(AnonymousUser(), text), kind


@pytest.mark.parametrize("kind", KINDS)
def test_network_content_found_by_the_network_not_by_visitors(world, kind):
    text = word("netw", kind)
    assert found(world.outsider, text), kind
    assert found(world.former, text), kind
    assert not found(AnonymousUser(), text), kind


@pytest.mark.parametrize("kind", KINDS)
def test_visitors_find_only_public_presentations_and_delivered_productions(world, kind):
    text = word("publ", kind)
    if kind in ("community", "production"):
        assert found(AnonymousUser(), text), kind
    else:
        assert not found(AnonymousUser(), text), kind


@pytest.mark.parametrize("kind", KINDS)
def test_drafts_are_for_their_members_and_coordinators(world, kind):
    text = word("draf", kind)
    assert found(world.lead, text), kind
    assert found(world.coordinator, text), kind
    assert not found(world.outsider, text), kind
    assert not found(AnonymousUser(), text), kind


def test_a_person_who_leaves_stops_finding_at_once(world):
    from cercles.communities.models import Membership, MembershipStatus

    text = word("priv", "post")
    assert found(world.member, text)
    Membership.objects.filter(user=world.member, community=world.private).update(
        status=MembershipStatus.LEFT
    )
    assert not found(world.member, text)


def test_counts_do_not_reveal_hidden_items(world):
    results = search(world.outsider, "zq")  # no such word: prefix only
    results = search(world.outsider, "priv*")
    kinds_found = {kind.key for kind, _count in results.groups}
    assert kinds_found <= {"community"}
    assert results.total == 1


def test_people_are_found_by_members_only(world):
    world.member.display_name = "Aïssatou Diallo"
    world.member.save()
    assert found(world.outsider, "aissatou")
    assert not found(AnonymousUser(), "aissatou")


def test_deleted_and_hidden_posts_are_not_found(world):
    from django.utils import timezone

    from cercles.discussions.models import Post

    post = Post.objects.get(body__contains=word("netw", "post"))
    post.hidden_at = timezone.now()
    post.save()
    assert not found(world.outsider, word("netw", "post"))


def test_legacy_of_a_closed_private_community_is_the_networks(world):
    from cercles.library.models import Item

    Item.objects.filter(community=world.private).update(keep_in_legacy=True)
    for item in Item.objects.filter(community=world.private):
        item.save()  # reindexed as the service would
    text = word("priv", "item")
    assert not found(world.outsider, text)
    world.close_with_legacy(world.private)
    hits = search(world.outsider, text).hits
    assert [h.entry.kind for h in hits] == ["item"]
    assert hits[0].url == f"/library/legacy/{world.private.slug}/"
    assert not found(AnonymousUser(), text)
    assert not found(world.outsider, word("priv", "post"))  # discussions are never kept
    assert world.private.state == State.CLOSED
