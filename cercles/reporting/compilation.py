"""A quarter's report compiled from the platform, for every running community at once.

One query per kind of fact (communities, lifecycle changes, arrivals, meetings, updates,
milestones, productions, surveys, stories, upcoming steps, seasons, stages), each covering every
community: the number of queries does not grow with the number of communities. What it finds
is kept as a snapshot on the report (`network`) and on each block (`data`), so that the page,
the PDF and the email read the report, not the live tables.
"""

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Membership, Milestone, StateChange, Visibility
from cercles.coordination.models import ProgressUpdate
from cercles.library.models import Production, ProductionStatus
from cercles.meetings.models import Meeting
from cercles.seasons.models import Season
from cercles.surveys.models import Status as SurveyStatus
from cercles.surveys.models import Survey

from .models import Stage, ValueKind, ValueStory
from .stage import stages_for

RUNNING_STATES = (State.OPEN, State.ACTIVE, State.REFRAMING)
MEETINGS_LISTED = 6
UPCOMING_DAYS = 90


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year, quarter):
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (
        datetime.date(year, 12, 31)
        if quarter == 4
        else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
    )
    return start, end


def _moments(start, end):
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end, datetime.time.max, tzinfo=zone),
    )


def _day(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def compile_quarter(year, quarter, today=None):
    """(network facts, [block data]) of the quarter, blocks in the order of the titles."""
    today = today or timezone.localdate()
    start, end = quarter_bounds(year, quarter)
    since, until = _moments(start, end)
    until = min(until, timezone.now())

    changes = list(
        StateChange.objects.filter(
            created_at__range=(since, until),
            to_state__in=[State.OPEN, State.CLOSED, State.ARCHIVED, State.DISSOLVED],
        )
        .select_related("community")
        .order_by("created_at")
    )
    changed_ids = {c.community_id for c in changes}
    communities = list(
        Community.objects.filter(Q(state__in=RUNNING_STATES) | Q(pk__in=changed_ids))
        .select_related("lead")
        .order_by("title")
    )
    running = [c for c in communities if c.state in RUNNING_STATES]
    ids = [c.pk for c in running]
    blocks = {
        c.pk: {
            "community_id": c.pk,
            "slug": c.slug,
            "title": c.title,
            "state": c.state,
            "state_label": str(c.get_state_display()),
            "private": c.visibility == Visibility.PRIVATE,
            "lead": c.lead.name if c.lead_id else "",
            "members": c.member_count,
            "joined": 0,
            "recruiting": c.is_recruiting,
            "next_steps": c.next_steps,
            "meetings": [],
            "meetings_held": 0,
            "updates": [],
            "milestones": [],
            "productions": [],
            "surveys": [],
            "stories": [],
            "upcoming": [],
            "season": None,
        }
        for c in running
    }

    for community_id, joined in (
        Membership.objects.filter(community_id__in=ids, joined_at__range=(since, until))
        .values_list("community_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        blocks[community_id]["joined"] = joined

    meetings_per_month = Counter()
    for community_id, title, starts_at in (
        Meeting.objects.filter(
            community_id__in=ids, starts_at__range=(since, until), cancelled_at__isnull=True
        )
        .values_list("community_id", "title", "starts_at")
        .order_by("starts_at")
    ):
        block = blocks[community_id]
        block["meetings_held"] += 1
        if len(block["meetings"]) < MEETINGS_LISTED:
            block["meetings"].append({"title": title, "date": _day(starts_at)})
        meetings_per_month[timezone.localtime(starts_at).strftime("%Y-%m")] += 1

    for update in ProgressUpdate.objects.filter(
        community_id__in=ids, created_at__range=(since, until)
    ).order_by("created_at"):
        blocks[update.community_id]["updates"].append(
            {
                "date": _day(update.created_at),
                "done": update.done,
                "next_steps": update.next_steps,
                "blockers": update.blockers,
                "help_needed": update.help_needed,
            }
        )
    for block in blocks.values():
        block["updates"] = block["updates"][-2:]  # the latest two say where it stands

    for community_id, title, due in (
        Milestone.objects.filter(community_id__in=ids, done=True, due_date__range=(start, end))
        .values_list("community_id", "title", "due_date")
        .order_by("due_date")
    ):
        blocks[community_id]["milestones"].append({"title": title, "date": _day(due)})

    horizon = max(today, end) + datetime.timedelta(days=UPCOMING_DAYS)
    for community_id, title, due in (
        Milestone.objects.filter(
            community_id__in=ids, done=False, due_date__gt=end, due_date__lte=horizon
        )
        .values_list("community_id", "title", "due_date")
        .order_by("due_date")
    ):
        if len(blocks[community_id]["upcoming"]) < 4:
            blocks[community_id]["upcoming"].append({"title": title, "date": _day(due)})

    productions_delivered = 0
    for production in Production.objects.filter(
        community_id__in=ids,
        status=ProductionStatus.DELIVERED,
        delivered_at__range=(since, until),
    ).order_by("delivered_at"):
        productions_delivered += 1
        blocks[production.community_id]["productions"].append(
            {
                "title": production.title,
                "kind": str(production.get_kind_display()),
                "summary": production.summary[:400],
                "date": _day(production.delivered_at),
            }
        )

    for survey in (
        Survey.objects.filter(
            community_id__in=ids, status=SurveyStatus.CLOSED, closes_on__range=(start, end)
        )
        .annotate(answers=Count("responses"))
        .order_by("closes_on")
    ):
        blocks[survey.community_id]["surveys"].append(
            {
                "title": survey.title or str(survey.get_kind_display()),
                "answers": survey.answers,
                "invited": survey.invited_count,
            }
        )

    stories_per_kind = Counter()
    for story in (
        ValueStory.objects.filter(community_id__in=ids)
        .featured()
        .filter(featured_at__range=(since, until))
        .select_related("author")
        .order_by("featured_at")
    ):
        stories_per_kind[story.value_kind] += 1
        blocks[story.community_id]["stories"].append(
            {
                "title": story.title,
                "happened": story.happened,
                "value": story.value_kind,
                "value_label": str(story.value_short_label),
                "evidence": story.evidence,
                "author": story.author.name if story.author else "",
            }
        )

    for season in Season.objects.filter(
        community_id__in=ids, starts_on__lte=end, ends_on__gte=start
    ).order_by("starts_on"):
        blocks[season.community_id]["season"] = {
            "name": season.name,
            "starts_on": _day(season.starts_on),
            "ends_on": _day(season.ends_on),
        }

    readings = stages_for(running, today=min(today, end))
    stage_counts = Counter()
    for community in running:
        reading = readings[community.pk]
        stage_counts[reading.stage] += 1
        blocks[community.pk]["stage"] = reading.stage
        blocks[community.pk]["stage_label"] = str(reading.label)
        blocks[community.pk]["stage_reason"] = reading.reason

    def listed(to_states):
        return [
            {"title": c.community.title, "slug": c.community.slug, "date": _day(c.created_at)}
            for c in changes
            if c.to_state in to_states and c.community.visibility != Visibility.PRIVATE
        ]

    months = []
    cursor = start
    while cursor <= end:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    network = {
        "opened": listed([State.OPEN]),
        "closed": listed([State.CLOSED, State.DISSOLVED]),
        "archived": listed([State.ARCHIVED]),
        "running": len(running),
        "members": sum(c.member_count for c in running),
        "joined": sum(b["joined"] for b in blocks.values()),
        "meetings_held": sum(meetings_per_month.values()),
        "meetings_per_month": [[m, meetings_per_month.get(m, 0)] for m in months],
        "productions_delivered": productions_delivered,
        "stories_per_kind": [[k, stories_per_kind.get(k, 0)] for k in ValueKind.values],
        "stages": [[s, stage_counts.get(s, 0)] for s in Stage.values],
        "recruiting": [
            {"title": b["title"], "slug": b["slug"]}
            for b in blocks.values()
            if b["recruiting"] and not b["private"]
        ],
    }
    return network, [blocks[c.pk] for c in running]
