"""Races (issue 19, deliverable 8): the same action twice at the same moment, on PostgreSQL.

Two threads, each with its own database connection, start together (a barrier) and call the
service the view calls. One wins; the other gets a clear refusal (a ValidationError, which the
views show as a message) or finds the work done — never a duplicate row, never a crash.
SQLite serialises writers anyway: these tests run on PostgreSQL (the CI's second run).
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import services
from cercles.communities.lifecycle import State
from cercles.communities.models import Membership, Review, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.meetings import services as meetings
from cercles.meetings.models import RSVP
from cercles.meetings.tests.factories import MeetingFactory


def concurrent(test):
    """Real concurrent writers: PostgreSQL only, committed transactions."""
    skip = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL only"
    )
    return pytest.mark.django_db(transaction=True)(skip(test))


CHECKLIST = {
    key: {"ok": True, "comment": ""}
    for key in ["not_too_tight", "sufficient", "lead", "co_lead", "milestones", "size", "end"]
}


def together(*calls):
    """Run the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 — what the loser gets is the point
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@concurrent
def test_two_coordinators_deciding_the_same_review():
    community = CommunityFactory(state=State.DRAFT)
    services.submit_framing(community.lead, community)
    version = community.framing_versions.order_by("-number").first()
    first, second = CoordinatorFactory(), CoordinatorFactory()
    results = together(
        *(
            lambda who=who, decision=decision: services.review_framing(
                who, community, version, decision=decision, checklist=CHECKLIST
            )
            for who, decision in ((first, "validate"), (second, "decline"))
        )
    )
    assert Review.objects.filter(version=version).count() == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), results
    community.refresh_from_db()
    assert community.state in (State.OPEN, State.DECLINED)


@concurrent
def test_a_double_join():
    community = CommunityFactory(state=State.OPEN, visibility=Visibility.NETWORK)
    person = UserFactory()
    results = together(
        *(
            lambda: services.join_community(
                person, community, objective="Apprendre", involvement="active"
            )
            for _ in range(2)
        )
    )
    assert Membership.objects.filter(community=community, user=person).count() == 1
    # The second is refused: a message (ValidationError) or "already a member" (PermissionDenied,
    # a 403 page that explains), never an error.
    assert not [
        r
        for r in results
        if isinstance(r, Exception) and not isinstance(r, (ValidationError, PermissionDenied))
    ]
    community.refresh_from_db()
    assert community.member_count == 2  # the lead and the person, counted once


@concurrent
def test_a_double_rsvp():
    meeting = MeetingFactory()
    member = add_member(meeting.community).user
    results = together(
        lambda: meetings.rsvp(member, meeting, "yes"), lambda: meetings.rsvp(member, meeting, "no")
    )
    assert RSVP.objects.filter(meeting=meeting, user=member).count() == 1
    assert not [r for r in results if isinstance(r, Exception)], results


@concurrent
def test_two_edits_of_the_same_note():
    from cercles.library import services as library
    from cercles.library.tests.factories import make_note

    community = CommunityFactory()
    first, second = add_member(community).user, add_member(community).user
    note = make_note(first, community)
    base = library.last_revision_number(note)
    results = together(
        *(
            lambda who=who: library.update_note(
                who, note, title=note.title, body=f"Version de {who.pk}", base_revision=base
            )
            for who in (first, second)
        )
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].code == "stale", results
    assert note.revisions.count() == base + 1


@pytest.mark.django_db
def test_a_stale_note_edit_keeps_the_text_and_says_who_saved_first(client):
    from django.urls import reverse

    from cercles.library.tests.factories import make_note

    community = CommunityFactory()
    first, second = add_member(community).user, add_member(community).user
    note = make_note(first, community)
    url = reverse("library:edit_item", args=[community.slug, note.pk])
    client.force_login(first)
    base = client.get(url).context["form"].initial["base_revision"]
    client.force_login(second)
    client.post(url, {"title": note.title, "body": "Le texte de la seconde", "base_revision": base})
    client.force_login(first)
    mine = {"title": note.title, "body": "Mon texte à moi", "base_revision": base}
    response = client.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert second.name in page and "Mon texte à moi" in page
    note.refresh_from_db()
    assert note.body == "Le texte de la seconde"
    # Saving again, having compared, goes through.
    again = response.context["form"].data
    assert client.post(url, again).status_code == 302
    note.refresh_from_db()
    assert note.body == "Mon texte à moi"
