"""The follow-up figures of every community, computed in bulk (a dozen queries whatever the
number of communities) by a periodic job and after the changes that move them, and stored in
`CommunityFigures` with the flags they raise; raised and cleared flags are kept as history."""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from cercles.communities.lifecycle import State
from cercles.communities.models import (
    Community,
    HealthReview,
    Membership,
    MembershipStatus,
    Milestone,
    Role,
    Task,
    TaskStatus,
)

from . import dashboard
from .models import CommunityFigures, FlagEvent, ProgressUpdate, Thresholds

# Communities the coordinators follow: everything from the first submission to the end.
FOLLOWED_STATES = (
    State.IN_REVIEW, State.CHANGES_REQUESTED, State.OPEN, State.ACTIVE, State.REFRAMING,
    State.CLOSED, State.DISSOLVED,
)  # fmt: skip

COUNTED = [
    "posts_30", "posts_90", "meetings_30", "meetings_90", "notes_30", "notes_90",
    "updates_30", "updates_90", "overdue_milestones", "overdue_tasks",
]  # fmt: skip
STORED = COUNTED + [
    "last_activity_at", "last_meeting_at", "next_meeting_at", "last_update_at", "co_leads",
    "season", "health_decision", "health_review_at", "open_needs", "needs_without_mentor",
    "mentors", "flags", "flag_count", "computed_at",
]  # fmt: skip

# Other apps add figures (support needs and mentors): fn(ids, now) -> {id: {field: value}}.
PROVIDERS = []


def register_provider(fn):
    PROVIDERS.append(fn)
    return fn


def _windowed(queryset, community_field, date_field, now, *, last=True):
    """{community id: (count in 30 days, count in 90 days, latest date)} in one query."""
    d30, d90 = now - datetime.timedelta(days=30), now - datetime.timedelta(days=90)
    rows = queryset.values(community_field).annotate(
        n30=Count("pk", filter=Q(**{f"{date_field}__gte": d30})),
        n90=Count("pk", filter=Q(**{f"{date_field}__gte": d90})),
        latest=Max(date_field),
    )
    return {r[community_field]: (r["n30"], r["n90"], r["latest"]) for r in rows}


def _latest(*values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


def compute(communities, now=None):
    """Unsaved `CommunityFigures` of the communities (a list), flags included."""
    from cercles.discussions.models import Post
    from cercles.library.models import Item, ItemKind
    from cercles.meetings.models import Meeting
    from cercles.seasons.models import Season

    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = [c.pk for c in communities]
    posts = _windowed(
        Post.objects.filter(thread__community__in=ids, deleted_at__isnull=True),
        "thread__community",
        "created_at",
        now,
    )
    held = Meeting.objects.filter(community__in=ids, cancelled_at__isnull=True, ends_at__lt=now)
    meetings = _windowed(held, "community", "starts_at", now)
    next_meetings = dict(
        Meeting.objects.filter(community__in=ids, cancelled_at__isnull=True, starts_at__gte=now)
        .values("community")
        .annotate(first=Min("starts_at"))
        .values_list("community", "first")
    )
    notes = _windowed(
        Item.objects.filter(community__in=ids, kind=ItemKind.NOTE), "community", "updated_at", now
    )
    updates = _windowed(
        ProgressUpdate.objects.filter(community__in=ids), "community", "created_at", now
    )
    overdue_milestones = dict(
        Milestone.objects.filter(community__in=ids, done=False, due_date__lt=today)
        .values("community")
        .annotate(n=Count("pk"))
        .values_list("community", "n")
    )
    overdue_tasks = dict(
        Task.objects.filter(milestone__community__in=ids, due_date__lt=today)
        .exclude(status=TaskStatus.DONE)
        .values("milestone__community")
        .annotate(n=Count("pk"))
        .values_list("milestone__community", "n")
    )
    co_leads = {}
    for membership in (
        Membership.objects.filter(
            community__in=ids, role=Role.CO_LEAD, status=MembershipStatus.ACTIVE
        )
        .select_related("user")
        .order_by("joined_at", "pk")
    ):
        co_leads.setdefault(membership.community_id, []).append(membership.user.name)
    seasons = {
        s.community_id: s.name
        for s in Season.objects.current(today).filter(community__in=ids).order_by("starts_on")
    }
    health = HealthReview.objects.latest_per_community(ids)
    extra = {}
    for provider in PROVIDERS:
        for community_id, values in provider(ids, now).items():
            extra.setdefault(community_id, {}).update(values)
    thresholds = Thresholds.current()

    out = []
    for community in communities:
        pk = community.pk
        figures = CommunityFigures(community=community, computed_at=now)
        for name, source in (
            ("posts", posts),
            ("meetings", meetings),
            ("notes", notes),
            ("updates", updates),
        ):
            n30, n90, _latest_at = source.get(pk, (0, 0, None))
            setattr(figures, f"{name}_30", n30)
            setattr(figures, f"{name}_90", n90)
        figures.last_meeting_at = meetings.get(pk, (0, 0, None))[2]
        figures.last_update_at = updates.get(pk, (0, 0, None))[2]
        figures.last_activity_at = _latest(
            *(source.get(pk, (0, 0, None))[2] for source in (posts, meetings, notes, updates))
        )
        figures.next_meeting_at = next_meetings.get(pk)
        figures.overdue_milestones = overdue_milestones.get(pk, 0)
        figures.overdue_tasks = overdue_tasks.get(pk, 0)
        figures.co_leads = co_leads.get(pk, [])
        figures.season = seasons.get(pk, "")
        review = health.get(pk)
        if review is not None:
            figures.health_decision = review.decision
            figures.health_review_at = review.created_at
        for name, value in extra.get(pk, {}).items():
            setattr(figures, name, value)
        figures.flags = flags_of(community, figures, thresholds, today)
        figures.flag_count = len(figures.flags)
        out.append(figures)
    return out


def flags_of(community, figures, thresholds, today):
    raised = []
    for flag in dashboard.flags():
        params = flag.check(community, figures, thresholds, today)
        if params is not None:
            raised.append({"code": flag.code, "params": params})
    return raised


def followed_communities():
    return Community.objects.filter(state__in=FOLLOWED_STATES, is_leads_circle=False)


@register_provider
def mentoring_figures(ids, now):
    """Open support needs, those still without a mentor, and the current mentors' names."""
    from cercles.mentoring.models import Mentorship, NeedStatus, SupportNeed

    out = {}
    for row in (
        SupportNeed.objects.filter(community__in=ids)
        .exclude(status=NeedStatus.CLOSED)
        .values("community")
        .annotate(n=Count("pk"), waiting=Count("pk", filter=Q(status=NeedStatus.OPEN)))
    ):
        out[row["community"]] = {"open_needs": row["n"], "needs_without_mentor": row["waiting"]}
    for mentorship in (
        Mentorship.objects.current().filter(community__in=ids).select_related("mentor")
    ):
        names = out.setdefault(mentorship.community_id, {}).setdefault("mentors", [])
        if mentorship.mentor.name not in names:
            names.append(mentorship.mentor.name)
    return out


@transaction.atomic
def refresh_figures(communities=None, now=None):
    """Recompute and store the figures of the communities (all those followed when None), and
    record the flags raised and cleared since the last time. Returns the figures."""
    now = now or timezone.now()
    queryset = followed_communities() if communities is None else communities
    if not hasattr(queryset, "model"):
        queryset = Community.objects.filter(pk__in=[c.pk for c in queryset])
    communities = list(queryset.select_related("survey_follow_up", "lead"))
    if not communities:
        return []
    figures = compute(communities, now=now)
    CommunityFigures.objects.bulk_create(
        figures, update_conflicts=True, unique_fields=["community"], update_fields=STORED
    )
    _record_flag_history(figures, now)
    # The dashboard's strip is read again too (now, and once committed for readers in between).
    cache.delete(summary_key())
    transaction.on_commit(lambda: cache.delete(summary_key()))
    return figures


# The dashboard's strip (follow_up.remembered_summary) is kept this many seconds at most.
SUMMARY_LIFETIME = 600


def summary_key():
    return f"coordination-summary:{timezone.localdate().isoformat()}"


def _record_flag_history(figures, now):
    open_events = {}  # {community id: {code: event}}
    for event in FlagEvent.objects.filter(
        community__in=[f.community_id for f in figures], cleared_at__isnull=True
    ):
        open_events.setdefault(event.community_id, {})[event.code] = event
    raised, cleared = [], []
    for item in figures:
        current = {flag["code"]: flag["params"] for flag in item.flags}
        still_open = open_events.get(item.community_id, {})
        for code, params in current.items():
            if code not in still_open:
                raised.append(
                    FlagEvent(
                        community_id=item.community_id, code=code, params=params, raised_at=now
                    )
                )
        for code, event in still_open.items():
            if code not in current:
                event.cleared_at = now
                cleared.append(event)
    FlagEvent.objects.bulk_create(raised)
    FlagEvent.objects.bulk_update(cleared, ["cleared_at"])


def figures_of(community):
    """The stored figures of one community, or empty ones when none were computed yet."""
    try:
        return community.figures
    except CommunityFigures.DoesNotExist:
        return CommunityFigures(community=community)
