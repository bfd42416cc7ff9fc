"""What the home itself puts in "what needs me" and "what's new" (cercles.home.registry): the
meetings to answer, the tasks due, and one feed of what is new in the person's communities. One
query each, whatever the number of communities."""

from django.db import connection
from django.db.models import CharField, F, IntegerField, OuterRef, Subquery, Value
from django.utils import timezone

from cercles.communities.models import Membership, MembershipStatus, Task, TaskStatus
from cercles.discussions.models import Thread, ThreadRead
from cercles.library.models import Item, Production
from cercles.meetings.models import RSVP, Answer, Meeting

MEETINGS_SHOWN = 5
TASKS_SHOWN = 5
NEWS_SHOWN = 8


def _mine(user):
    return Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values(
        "community_id"
    )


def meetings_need(request):
    """The next meetings of my communities, my answer beside each (to give when missing)."""
    user = request.user
    answer = RSVP.objects.filter(meeting=OuterRef("pk"), user=user.pk).values("answer")[:1]
    meetings = list(
        Meeting.objects.filter(
            community__in=_mine(user), cancelled_at__isnull=True, ends_at__gte=timezone.now()
        )
        .select_related("community")
        .annotate(my_answer=Subquery(answer))
        .order_by("starts_at", "pk")[:MEETINGS_SHOWN]
    )
    if not meetings:
        return None
    return {
        "meetings": meetings,
        "unanswered": sum(1 for m in meetings if not m.my_answer),
        "answers": Answer.choices,
    }


def tasks_need(request):
    """The tasks I own that are not done, soonest due first."""
    tasks = list(
        Task.objects.filter(owner=request.user, milestone__community__in=_mine(request.user))
        .exclude(status=TaskStatus.DONE)
        .select_related("milestone__community")[:TASKS_SHOWN]
    )
    if not tasks:
        return None
    return {"tasks": tasks, "today": timezone.localdate()}


def news(request):
    """One feed of what is new in my communities: discussions (with my unread marks), library
    items and productions, newest first; one UNION query."""
    user = request.user
    mine = _mine(user)
    read = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user.pk).values(
        "last_read_post_id"
    )[:1]
    text = CharField()
    number = IntegerField()
    threads = (
        Thread.objects.filter(community__in=mine)
        .order_by()
        .annotate(
            what=Value("thread", output_field=text),
            at=F("last_activity_at"),
            last_read=Subquery(read, output_field=number),
            last=F("last_post_id"),
        )
        .values_list(
            "what", "pk", "title", "community__slug", "community__title", "at", "last", "last_read"
        )
    )
    items = (
        Item.objects.filter(community__in=mine)
        .order_by()
        .annotate(
            what=Value("item", output_field=text),
            at=F("created_at"),
            last=Value(0, output_field=number),
            last_read=Value(0, output_field=number),
        )
        .values_list(
            "what", "pk", "title", "community__slug", "community__title", "at", "last", "last_read"
        )
    )
    productions = (
        Production.objects.filter(community__in=mine)
        .order_by()
        .annotate(
            what=Value("production", output_field=text),
            at=F("updated_at"),
            last=Value(0, output_field=number),
            last_read=Value(0, output_field=number),
        )
        .values_list(
            "what", "pk", "title", "community__slug", "community__title", "at", "last", "last_read"
        )
    )
    if connection.features.supports_slicing_ordering_in_compound:
        # The newest of each kind first (PostgreSQL): a member of many communities does not
        # make the database sort every thread, item and production they hold.
        threads, items, productions = (
            part.order_by("-at")[:NEWS_SHOWN] for part in (threads, items, productions)
        )
    rows = threads.union(items, productions, all=True).order_by("-at")[:NEWS_SHOWN]
    entries = [
        {
            "what": what,
            "pk": pk,
            "title": title,
            "slug": slug,
            "community": community,
            "at": at,
            "unread": what == "thread" and bool(last) and (last_read or 0) < last,
        }
        for what, pk, title, slug, community, at, last, last_read in rows
    ]
    return {"entries": entries} if entries else None
