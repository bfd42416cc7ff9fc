"""Inside a community: meetings, productions, discussions; and the network library."""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from cercles.communities.lookups import community_for
from cercles.communities.models import Community
from cercles.discussions import services as discussions
from cercles.discussions.models import Post, Thread
from cercles.library.lookups import community_with_productions
from cercles.library.models import Production
from cercles.meetings import services as meetings
from cercles.meetings.models import RSVP, Answer

from .pagination import CursorPagination
from .problems import Problem
from .schemas import (
    MeetingOut,
    PostOut,
    ProductionOut,
    ReplyIn,
    RsvpIn,
    RsvpOut,
    ThreadOut,
)
from .security import OPEN_TO_VISITORS, readers, writers

router = Router()


def _readable(request, slug, permission):
    """The community when the person may read this part of it; 404 otherwise, like the pages."""
    community = community_for(request, slug, content=True)
    if not request.user.has_perm(permission, community):
        raise Http404
    return community


# --- meetings ---------------------------------------------------------------------------------


@router.get(
    "/communities/{slug}/meetings",
    response=list[MeetingOut],
    auth=readers(),
    openapi_extra=OPEN_TO_VISITORS,
    tags=["meetings"],
    summary="A community's upcoming meetings",
)
@paginate(CursorPagination, ordering=("starts_at", "pk"))
def list_meetings(request, slug: str):
    """Meetings not over yet, soonest first, each with its iCalendar file (`ics_url`) and the
    person's own answer."""
    community = _readable(request, slug, "meetings.view_meetings")
    mine = RSVP.objects.filter(meeting=OuterRef("pk"), user=request.user.pk).values("answer")[:1]
    return (
        community.meetings.filter(ends_at__gte=timezone.now())
        .select_related("community")
        .annotate(my_answer=Subquery(mine))
    )


@router.post(
    "/communities/{slug}/meetings/{meeting_id}/rsvp",
    response=RsvpOut,
    auth=writers(),
    tags=["meetings"],
    summary="Answer a meeting's invitation",
)
def rsvp(request, slug: str, meeting_id: int, payload: RsvpIn):
    community = community_for(request, slug, content=True)
    meeting = get_object_or_404(community.meetings, pk=meeting_id)
    meeting.community = community
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    if payload.answer not in Answer.values:
        raise Problem("invalid-input", errors=[{"field": "answer", "message": "yes, maybe or no."}])
    answer = meetings.rsvp(request.user, meeting, payload.answer)
    return {"meeting_id": meeting.pk, "answer": answer.answer}


# --- productions and the network library ------------------------------------------------------


@router.get(
    "/communities/{slug}/productions",
    response=list[ProductionOut],
    auth=readers(),
    openapi_extra=OPEN_TO_VISITORS,
    tags=["library"],
    summary="A community's productions",
)
@paginate(CursorPagination, ordering=("-created_at", "-pk"))
def list_productions(request, slug: str):
    """Every production for those who read the community; delivered ones only for the others
    (visitors see those of public communities), as on the productions page; of a private
    community, those it shares with the network or the public (issue 11)."""
    try:
        community = community_with_productions(request, slug)
    except Http404:
        community = get_object_or_404(Community, slug=slug)
        shared = Production.objects.shared_with_reader(request.user).filter(community=community)
        if not shared.exists():
            raise
        return shared.select_related("community")
    productions = community.productions.select_related("community")
    if not request.user.has_perm("communities.view_content", community):
        productions = productions.delivered() | productions.shared_with_reader(request.user)
    return productions


@router.get(
    "/library",
    response=list[ProductionOut],
    auth=readers(),
    openapi_extra=OPEN_TO_VISITORS,
    tags=["library"],
    summary="The network library",
)
@paginate(CursorPagination, ordering=("-delivered_at", "-pk"))
def network_library(request):
    """Delivered productions of the published communities the person may read, newest first."""
    return Production.objects.in_network_library(request.user).select_related("community")


# --- discussions ------------------------------------------------------------------------------


@router.get(
    "/communities/{slug}/threads",
    response=list[ThreadOut],
    auth=readers(),
    openapi_extra=OPEN_TO_VISITORS,
    tags=["discussions"],
    summary="A community's discussions",
)
@paginate(CursorPagination, ordering=("-last_activity_at", "-pk"))
def list_threads(request, slug: str):
    """Threads and co-development sessions, most recently active first. Visitors never read
    discussions."""
    community = _readable(request, slug, "discussions.view_discussions")
    return Thread.objects.filter(community=community).select_related("community")


@router.post(
    "/communities/{slug}/threads/{thread_id}/replies",
    response={201: PostOut},
    auth=writers(),
    tags=["discussions"],
    summary="Reply in a thread",
)
def reply(request, slug: str, thread_id: int, payload: ReplyIn):
    community = _readable(request, slug, "discussions.view_discussions")
    thread = get_object_or_404(Thread, community=community, pk=thread_id)
    thread.community = community
    quoted = None
    if payload.quoted_id is not None:
        quoted = Post.objects.filter(thread=thread, pk=payload.quoted_id).first()
        if quoted is None:
            raise Problem(
                "invalid-input",
                errors=[{"field": "quoted_id", "message": "No such post in this thread."}],
            )
    post = discussions.reply(request.user, thread, body=payload.body, quoted=quoted)
    post.thread = thread
    return Status(201, post)
