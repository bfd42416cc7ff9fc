"""The stage of life of a community, read from facts the platform holds and told in words.

The stages are those of Wenger, McDermott and Snyder (2002), as the network uses them:

- **potential**: the community is being framed, or is open and recruiting, before its first
  meeting;
- **coalescing**: the kick-off is held and the first meetings take place;
- **maturing**: meetings are regular (at least `REGULAR_MEETINGS` held in the last
  `RECENT_DAYS * 2` days) and productions are under way or delivered;
- **stewardship**: sustained over a year since its first meeting, with productions delivered and
  meetings still held recently;
- **transformation**: activity falling (fewer than half the meetings of the previous period),
  the planned end near (within `END_NEAR_DAYS`), being reframed, or closed.

`stage_of(facts, today)` is the whole rule: a pure function, tested on its own. `facts_for()`
reads the facts of many communities at once in a fixed number of queries. A coordinator may
override the stage with a reason (`StageOverride`); the reading of the facts stays visible.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cercles.communities.lifecycle import State

from .models import Stage, StageOverride

RECENT_DAYS = 90
REGULAR_MEETINGS = 3
STEWARDSHIP_DAYS = 365
END_NEAR_DAYS = 90

FRAMING_STATES = (State.DRAFT, State.IN_REVIEW, State.CHANGES_REQUESTED)
ENDED_STATES = (State.CLOSED, State.ARCHIVED, State.DISSOLVED)


@dataclass
class Facts:
    """What the platform knows of a community that tells its stage."""

    state: str
    member_count: int = 0
    end_date: datetime.date | None = None
    first_meeting: datetime.date | None = None  # the first meeting held (the kick-off)
    meetings_recent: int = 0  # held in the last RECENT_DAYS
    meetings_before: int = 0  # held in the RECENT_DAYS before those
    productions_under_way: int = 0
    productions_delivered: int = 0


@dataclass
class StageReading:
    stage: str
    reason: str
    computed: str = ""  # the stage the facts tell, when a coordinator set another
    computed_reason: str = ""
    override: object = None

    @property
    def label(self):
        return Stage(self.stage).label

    @property
    def computed_label(self):
        return Stage(self.computed).label if self.computed else ""

    @property
    def is_overridden(self):
        return self.override is not None


def stage_of(facts, today):
    """(stage, reason in words) of a community with these facts, on `today`."""
    if facts.state == State.DECLINED:
        return Stage.POTENTIAL, _("Its framing was declined; it may be proposed again.")
    if facts.state in FRAMING_STATES:
        return Stage.POTENTIAL, _("Its framing is being written and reviewed.")
    if facts.state in ENDED_STATES:
        return Stage.TRANSFORMATION, _("The community has ended; what it learnt lives on.")
    if facts.state == State.REFRAMING:
        return Stage.TRANSFORMATION, _("The community is being reframed for what comes next.")
    if facts.first_meeting is None:
        if facts.state == State.OPEN:
            return Stage.POTENTIAL, ngettext(
                "Open and recruiting: %(count)d member, no meeting held yet.",
                "Open and recruiting: %(count)d members, no meeting held yet.",
                facts.member_count,
            ) % {"count": facts.member_count}
        return Stage.POTENTIAL, _("Running, but no meeting has been held yet.")
    if facts.end_date and facts.end_date >= today:
        days_left = (facts.end_date - today).days
        if days_left <= END_NEAR_DAYS:
            return Stage.TRANSFORMATION, _("Its planned end is near: %(date)s.") % {
                "date": date_format(facts.end_date, "DATE_FORMAT")
            }
    if facts.meetings_before >= 2 and facts.meetings_recent * 2 < facts.meetings_before:
        return Stage.TRANSFORMATION, _(
            "Activity is falling: %(recent)d meetings in the last three months, "
            "%(before)d in the three months before."
        ) % {"recent": facts.meetings_recent, "before": facts.meetings_before}
    age = (today - facts.first_meeting).days
    held = facts.meetings_recent + facts.meetings_before
    if age >= STEWARDSHIP_DAYS and facts.productions_delivered and facts.meetings_recent:
        return Stage.STEWARDSHIP, ngettext(
            "Sustained for over a year, with %(count)d production delivered and meetings "
            "still held.",
            "Sustained for over a year, with %(count)d productions delivered and meetings "
            "still held.",
            facts.productions_delivered,
        ) % {"count": facts.productions_delivered}
    if held >= REGULAR_MEETINGS and (facts.productions_under_way or facts.productions_delivered):
        return Stage.MATURING, _(
            "Regular meetings (%(held)d in six months) and productions under way."
        ) % {"held": held}
    kick_off = date_format(facts.first_meeting, "DATE_FORMAT")
    return Stage.COALESCING, _(
        "Kick-off held on %(date)s; the first meetings are taking place."
    ) % {"date": kick_off}


def facts_for(communities, today=None):
    """{community id: Facts} for these communities: two queries, whatever their number."""
    from cercles.library.models import Production, ProductionStatus
    from cercles.meetings.models import Meeting

    communities = list(communities)
    ids = [c.pk for c in communities]
    today = today or timezone.localdate()
    # A reading of the past (a report of an earlier quarter) counts only what had happened then.
    end_of_day = datetime.datetime.combine(
        today, datetime.time.max, tzinfo=timezone.get_current_timezone()
    )
    now = min(timezone.now(), end_of_day)
    recent = now - datetime.timedelta(days=RECENT_DAYS)
    before = now - datetime.timedelta(days=2 * RECENT_DAYS)
    facts = {
        c.pk: Facts(state=c.state, member_count=c.member_count, end_date=c.end_date)
        for c in communities
    }
    if not ids:
        return facts
    meetings = (
        Meeting.objects.filter(community_id__in=ids, cancelled_at__isnull=True, starts_at__lt=now)
        .values("community_id")
        .annotate(
            first=Min("starts_at"),
            recent=Count("id", filter=Q(starts_at__gte=recent)),
            before=Count("id", filter=Q(starts_at__gte=before, starts_at__lt=recent)),
        )
        .order_by()
    )
    zone = timezone.get_current_timezone()
    for row in meetings:
        fact = facts[row["community_id"]]
        fact.first_meeting = row["first"].astimezone(zone).date()
        fact.meetings_recent = row["recent"]
        fact.meetings_before = row["before"]
    productions = (
        Production.objects.filter(community_id__in=ids)
        .values("community_id")
        .annotate(
            delivered=Count("id", filter=Q(status=ProductionStatus.DELIVERED)),
            under_way=Count("id", filter=Q(status=ProductionStatus.IN_PROGRESS)),
        )
        .order_by()
    )
    for row in productions:
        facts[row["community_id"]].productions_delivered = row["delivered"]
        facts[row["community_id"]].productions_under_way = row["under_way"]
    return facts


def stages_for(communities, today=None):
    """{community id: StageReading}, the coordinators' override first: three queries."""
    communities = list(communities)
    today = today or timezone.localdate()
    facts = facts_for(communities, today)
    overrides = {
        o.community_id: o
        for o in StageOverride.objects.filter(community_id__in=[c.pk for c in communities])
    }
    readings = {}
    for community in communities:
        stage, reason = stage_of(facts[community.pk], today)
        override = overrides.get(community.pk)
        if override is not None:
            readings[community.pk] = StageReading(
                override.stage, override.reason, stage, reason, override
            )
        else:
            readings[community.pk] = StageReading(stage, reason)
    return readings


def stage_for(community, today=None):
    return stages_for([community], today)[community.pk]
