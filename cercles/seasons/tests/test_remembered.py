"""What a season's celebration and the prefilled health review remember in the cache
(communities/freshness.py, issue 20): forgotten by every service that changes what they count
— posts, their moderation, notes, attendance, meetings — and the people read afresh."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.discussions import services as discussions
from cercles.library import services as library
from cercles.meetings import services as meetings
from cercles.meetings.models import Meeting

from .factories import SeasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory(state=State.ACTIVE)


@pytest.fixture
def season(community):
    return SeasonFactory(community=community, review_published_at=timezone.now())


@pytest.fixture
def awa(community):
    return add_member(community, role=Role.INNER, user=UserFactory(display_name="Awa Traoré")).user


def read(client, person, url):
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def seen_after(client, person, url, change):
    """The page read (and remembered) twice before the change, then read again after it."""
    read(client, person, url)
    read(client, person, url)
    change()
    return read(client, person, url)


def celebration(season):
    return reverse("seasons:celebration", args=[season.community.slug, season.pk])


def past_meeting(community):
    starts = timezone.now() - datetime.timedelta(days=3)
    return Meeting.objects.create(
        community=community,
        title="Atelier",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )


def test_a_post_of_the_season_is_counted_and_its_moderation_too(client, community, season, awa):
    thread = discussions.start_thread(community.lead, community, title="Fil", body="Bonjour")
    url = celebration(season)
    page = seen_after(
        client, community.lead, url, lambda: discussions.reply(awa, thread, body="Merci")
    )
    assert "Awa" in page
    post = thread.posts.get(author=awa)
    page = seen_after(
        client, community.lead, url, lambda: discussions.hide_post(community.lead, post, reason="x")
    )
    assert "Awa" not in page


def test_a_note_written_in_the_season_is_counted(client, community, season, awa):
    page = seen_after(
        client,
        community.lead,
        celebration(season),
        lambda: library.create_note(awa, community, title="Carnet de Ségou", body="Texte"),
    )
    assert "Awa" in page and "Carnet de Ségou" in page


def test_attendance_recorded_afterwards_is_counted(client, community, season, awa):
    meeting = past_meeting(community)
    page = seen_after(
        client,
        community.lead,
        celebration(season),
        lambda: meetings.record_attendance(community.lead, meeting, [awa.pk]),
    )
    assert "Awa" in page


def test_a_contributor_renamed_is_shown_by_the_new_name(client, community, season, awa):
    thread = discussions.start_thread(community.lead, community, title="Fil", body="Bonjour")
    discussions.reply(awa, thread, body="Merci")

    def rename():
        awa.display_name = "Aminata Diallo"
        awa.save()

    page = seen_after(client, community.lead, celebration(season), rename)
    assert "Aminata" in page and "Awa" not in page


def test_the_celebration_reads_few_queries_once_remembered(
    client, community, season, awa, django_assert_max_num_queries
):
    thread = discussions.start_thread(community.lead, community, title="Fil", body="Bonjour")
    discussions.reply(awa, thread, body="Merci")
    url = celebration(season)
    read(client, community.lead, url)
    # Session, person, community, season, the people shown, the stories, the unread count…
    with django_assert_max_num_queries(12):
        client.get(url)


def health(community):
    return reverse("seasons:health_new", args=[community.slug])


def test_the_health_facts_follow_posts_attendance_and_meetings(client, community, awa):
    url = health(community)
    thread = discussions.start_thread(community.lead, community, title="Fil", body="Bonjour")
    before = seen_after(client, community.lead, url, lambda: None)
    assert " 1 ont participé" in before
    page = seen_after(
        client, community.lead, url, lambda: discussions.reply(awa, thread, body="Oui")
    )
    assert " 2 ont participé" in page
    meeting = past_meeting(community)
    page = seen_after(
        client,
        community.lead,
        url,
        lambda: meetings.plan_meeting(
            community.lead,
            community,
            title="Prochain atelier",
            place="Ségou",
            starts_at=timezone.now() + datetime.timedelta(days=9),
            ends_at=timezone.now() + datetime.timedelta(days=9, hours=1),
        ),
    )
    assert "La prochaine :" in page
    newcomer = add_member(community, role=Role.INNER, user=UserFactory()).user
    page = seen_after(
        client,
        community.lead,
        url,
        lambda: meetings.record_attendance(community.lead, meeting, [newcomer.pk]),
    )
    assert " 3 ont participé" in page


def test_the_prefilled_health_review_reads_few_queries_once_remembered(
    client, community, django_assert_max_num_queries
):
    read(client, community.lead, health(community))
    with django_assert_max_num_queries(8):
        client.get(health(community))
