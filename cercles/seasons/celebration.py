"""What a season achieved, gathered from every part of the community for its celebration: the
objectives reached, the productions delivered, the meetings held, the notes written, and the
people who contributed, each with what they did. A fixed number of queries whatever the size."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from cercles.accounts.models import User
from cercles.communities.freshness import remembered
from cercles.discussions.models import Post
from cercles.library.models import Item, ItemKind, NoteRevision, Production, ProductionStatus
from cercles.meetings.models import Attendance, Meeting

from .models import ObjectiveStatus

CONTRIBUTORS_SHOWN = 60


@dataclass(frozen=True)
class CelebrationPart:
    """Something an upper app adds to every celebration (value stories…): a template in its
    includes/ and a function season -> context, a query or two at most."""

    key: str
    template: str
    context: object
    order: int = 100


CELEBRATION_PARTS: dict[str, CelebrationPart] = {}


def register_celebration_part(key, template, context, *, order=100):
    """Called from an upper app's AppConfig.ready(): seasons never imports it."""
    CELEBRATION_PARTS[key] = CelebrationPart(key, template, context, order)


def parts_of(season):
    """[(template, context)] of the parts registered, in order, those with nothing left out."""
    parts = []
    for part in sorted(CELEBRATION_PARTS.values(), key=lambda p: p.order):
        context = part.context(season)
        if context:
            parts.append((part.template, context))
    return parts


@dataclass
class Contributor:
    person: object
    posts: int = 0
    notes: int = 0
    productions: int = 0
    meetings: int = 0
    total: int = field(default=0)


def _window(season):
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(season.starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(season.ends_on, datetime.time.max, tzinfo=zone)
    return start, min(end, timezone.now())


def celebration_of(season):
    """The celebration's page: what the season gathered, remembered until the community changes
    (communities/freshness.py), and the people shown read at each visit (names and accounts
    change without the community knowing)."""
    gathered = remembered(season.community, f"celebration:{season.pk}", lambda: _gathered(season))
    people, ranked = gathered.pop("people"), gathered.pop("ranked")
    persons = User.objects.filter(pk__in=ranked, is_active=True).in_bulk()
    contributors = []
    for pk in ranked:
        if pk in persons and len(contributors) < CONTRIBUTORS_SHOWN:
            people[pk].person = persons[pk]
            contributors.append(people[pk])
    contributors.sort(key=lambda c: (-c.total, c.person.name.lower()))
    return {
        **gathered,
        "season": season,
        "community": season.community,
        "contributors": contributors,
        "more_contributors": max(0, len(people) - len(contributors)),
        "contributor_count": len(people),
        "post_count": sum(c.posts for c in people.values()),
        "parts": parts_of(season),
    }


def _gathered(season):
    community = season.community
    start, end = _window(season)
    objectives = list(season.objectives.select_related("milestone", "production"))
    productions = list(
        Production.objects.filter(
            community=community,
            status=ProductionStatus.DELIVERED,
            delivered_at__range=(start, end),
        ).order_by("delivered_at")
    )
    meetings = list(
        Meeting.objects.filter(
            community=community, starts_at__range=(start, end), cancelled_at__isnull=True
        ).order_by("starts_at")
    )
    notes = list(
        Item.objects.filter(
            community=community, kind=ItemKind.NOTE, created_at__range=(start, end)
        ).order_by("created_at")
    )
    people = {}

    def add(rows, attribute):
        for user_id, count in rows:
            if user_id is not None:
                setattr(people.setdefault(user_id, Contributor(None)), attribute, count)

    add(
        Post.objects.filter(
            thread__community=community,
            created_at__range=(start, end),
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .values_list("author_id")
        .annotate(n=Count("id"))
        .order_by(),
        "posts",
    )
    add(
        NoteRevision.objects.filter(note__community=community, created_at__range=(start, end))
        .values_list("author_id")
        .annotate(n=Count("note_id", distinct=True))
        .order_by(),
        "notes",
    )
    add(
        Attendance.objects.filter(
            meeting__community=community,
            meeting__starts_at__range=(start, end),
            meeting__cancelled_at__isnull=True,
            present=True,
        )
        .values_list("user_id")
        .annotate(n=Count("id"))
        .order_by(),
        "meetings",
    )
    for production in productions:
        if production.author_id:
            people.setdefault(production.author_id, Contributor(None)).productions += 1
    for contributor in people.values():
        contributor.total = sum(
            (contributor.posts, contributor.notes, contributor.productions, contributor.meetings)
        )
    # Only the people shown are read: a large community may have thousands of contributors.
    ranked = sorted(people, key=lambda pk: (-people[pk].total, pk))[: CONTRIBUTORS_SHOWN * 2]
    reached = [o for o in objectives if o.status == ObjectiveStatus.REACHED]
    return {
        "objectives": objectives,
        "reached": reached,
        "productions": productions,
        "meetings": meetings,
        "notes": notes,
        "people": people,
        "ranked": ranked,
    }
