"""Never a leak: for every kind, who finds a private community's content, and who does not.

These tests run on the engine of the test database: SQLite by default, PostgreSQL when
DATABASE_URL points at one (both are run before landing)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

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


def test_surveys_are_found_by_their_members_only_once_opened(world):
    """A survey is its community's, whatever the community's visibility (`surveys.view_surveys`);
    one being prepared is found by nobody."""
    from cercles.surveys.models import Status
    from cercles.surveys.tests.factories import SurveyFactory

    for community, prefix in ((world.private, "priv"), (world.network, "netw")):
        SurveyFactory(community=community, title=f"Sondage {word(prefix, 'survey')}")
    SurveyFactory(
        community=world.private, title=f"Brouillon {word('draf', 'survey')}", status=Status.DRAFT
    )
    assert found(world.member, word("priv", "survey"))
    assert found(world.coordinator, word("netw", "survey"))
    for outsider in (world.outsider, world.former, AnonymousUser()):
        for prefix in ("priv", "netw"):
            assert not found(outsider, word(prefix, "survey")), (outsider, prefix)
    for anyone in (world.member, world.lead, world.coordinator):
        assert not found(anyone, word("draf", "survey"))


def test_published_reports_are_found_by_the_network_and_drafts_by_nobody(world):
    from cercles.reporting.models import QuarterlyReport, ReportStatus

    QuarterlyReport.objects.create(
        year=2026, quarter=2, status=ReportStatus.PUBLISHED, published_at=timezone.now(),
        introduction=f"Un trimestre {word('publ', 'report')}",
    )  # fmt: skip
    draft = QuarterlyReport.objects.create(
        year=2026, quarter=3, introduction=f"En cours {word('draf', 'report')}"
    )
    assert found(world.outsider, word("publ", "report"))
    assert not found(AnonymousUser(), word("publ", "report"))
    assert not found(world.coordinator, word("draf", "report"))
    draft.status, draft.published_at = ReportStatus.PUBLISHED, timezone.now()
    draft.save()
    assert found(world.member, word("draf", "report"))


def test_a_report_marked_published_without_a_date_is_dated_by_its_creation(world):
    from cercles.reporting.models import QuarterlyReport, ReportStatus

    QuarterlyReport.objects.create(
        year=2025, quarter=4, status=ReportStatus.PUBLISHED, highlights=word("undated", "report")
    )
    assert found(world.member, word("undated", "report"))
