"""A small network for the search tests: one community of each visibility, each with one thing
of every searchable kind, every one carrying a word of its own."""

import datetime

from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import FinalRecord, MembershipStatus, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.coordination.models import ProgressUpdate
from cercles.discussions.models import Post, Thread, ThreadKind
from cercles.library.models import Item, ItemKind, Production, ProductionStatus
from cercles.meetings.models import Meeting
from cercles.reporting.models import ValueKind, ValueStory
from cercles.seasons.models import Season

# The kinds each community holds, with the word that only that thing carries.
KINDS = [
    "community",
    "thread",
    "codev",
    "post",
    "meeting",
    "item",
    "production",
    "update",
    "season",
    "story",
]


def word(prefix, kind):
    return f"{prefix}{kind}zq"


def fill(community, prefix, author):
    now = timezone.now()
    community.purpose = f"Objet {word(prefix, 'community')}"
    community.save()
    thread = Thread.objects.create(
        community=community, author=author, title=f"Fil {word(prefix, 'thread')}"
    )
    Thread.objects.create(
        community=community,
        author=author,
        kind=ThreadKind.CODEV,
        title=f"Session {word(prefix, 'codev')}",
    )
    Post.objects.create(thread=thread, author=author, body=f"Message {word(prefix, 'post')}")
    Meeting.objects.create(
        community=community,
        title=f"Réunion {word(prefix, 'meeting')}",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
    )
    Item.objects.create(
        community=community,
        kind=ItemKind.NOTE,
        author=author,
        title="Carnet",
        body=f"Note {word(prefix, 'item')}",
    )
    Production.objects.create(
        community=community,
        title=f"Guide {word(prefix, 'production')}",
        kind="publication",
        audience="network",
        status=ProductionStatus.DELIVERED,
        delivered_at=now,
    )
    ProgressUpdate.objects.create(
        community=community, author=author, done=f"Fait {word(prefix, 'update')}"
    )
    Season.objects.create(
        community=community,
        number=1,
        name="Saison 1",
        starts_on=now.date() - datetime.timedelta(days=200),
        ends_on=now.date() - datetime.timedelta(days=10),
        review_achievements=f"Fiers {word(prefix, 'season')}",
        review_published_at=now,
    )
    ValueStory.objects.create(
        community=community,
        author=author,
        title="Une réussite",
        happened=f"Ils ont réparé {word(prefix, 'story')}",
        value_kind=ValueKind.APPLIED,
    )


class World:
    def __init__(self):
        self.lead = UserFactory()
        self.member = UserFactory()
        self.former = UserFactory()
        self.outsider = UserFactory()
        self.coordinator = CoordinatorFactory()
        self.private = CommunityFactory(visibility=Visibility.PRIVATE, lead=self.lead)
        self.network = CommunityFactory(visibility=Visibility.NETWORK, lead=self.lead)
        self.public = CommunityFactory(visibility=Visibility.PUBLIC, lead=self.lead)
        self.draft = CommunityFactory(
            visibility=Visibility.NETWORK, lead=self.lead, state=State.DRAFT
        )
        add_member(self.private, user=self.member)
        add_member(self.private, user=self.former, status=MembershipStatus.LEFT)
        for community, prefix in (
            (self.private, "priv"),
            (self.network, "netw"),
            (self.public, "publ"),
            (self.draft, "draf"),
        ):
            fill(community, prefix, self.lead)

    def close_with_legacy(self, community):
        community.state = State.CLOSED
        community.save()
        FinalRecord.objects.create(
            community=community, achievements="Un guide", given_at=timezone.now()
        )
