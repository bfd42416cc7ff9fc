"""The network's statistics over time, for the coordinators: communities per state and per stage,
members, meetings per month, productions per quarter. Each series is read in one or two
aggregated queries over the whole network; the charts and the CSV share these tables."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Membership, StateChange
from cercles.library.models import Production, ProductionStatus
from cercles.meetings.models import Meeting

from .compilation import quarter_bounds, quarter_of
from .models import Stage
from .stage import RECENT_DAYS, Facts, stage_of

MONTHS = 12
QUARTERS = 4


def _month_starts(today, count=MONTHS):
    first = today.replace(day=1)
    months = []
    for _index in range(count):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _month_end(start):
    return (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _quarters(today, count=QUARTERS):
    year, quarter = quarter_of(today)
    quarters = []
    for _index in range(count):
        quarters.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return list(reversed(quarters))


def _moment(day):
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=zone)


def _local(value):
    return timezone.localtime(value).date() if value else None


def _state_at(history, day, current, created):
    """The state a community was in at the end of `day`, replaying its changes; None when it did
    not exist yet. Before its first recorded change, it was in that change's source state."""
    if created and created > day:
        return None
    if not history:
        return current
    state = history[0][2] or State.DRAFT
    for when, to_state, _from in history:
        if when > day:
            break
        state = to_state
    return state


def network_statistics(today=None):
    today = today or timezone.localdate()
    months = _month_starts(today)
    quarters = _quarters(today)
    quarter_ends = [min(quarter_bounds(y, q)[1], today) for y, q in quarters]

    communities = list(
        Community.objects.values_list("pk", "state", "created_at", "member_count", "end_date")
    )
    histories = defaultdict(list)
    for community_id, from_state, to_state, created_at in StateChange.objects.order_by(
        "created_at", "pk"
    ).values_list("community_id", "from_state", "to_state", "created_at"):
        histories[community_id].append((_local(created_at), to_state, from_state))

    # Communities per state at each month's end.
    states_over_time = []
    for start in months:
        end = min(_month_end(start), today)
        counts = Counter()
        for pk, state, created_at, _members, _end in communities:
            at = _state_at(histories.get(pk, []), end, state, _local(created_at))
            if at is not None:
                counts[at] += 1
        states_over_time.append((start.strftime("%Y-%m"), counts))

    # Meetings per month, and the dates every stage reading needs.
    meetings = list(
        Meeting.objects.filter(cancelled_at__isnull=True, starts_at__lte=timezone.now())
        .values_list("community_id", "starts_at")
        .order_by()
    )
    per_month = Counter()
    meetings_of = defaultdict(list)
    for community_id, starts_at in meetings:
        day = _local(starts_at)
        per_month[day.strftime("%Y-%m")] += 1
        meetings_of[community_id].append(day)
    meetings_per_month = [
        (m.strftime("%Y-%m"), per_month.get(m.strftime("%Y-%m"), 0)) for m in months
    ]

    productions_of = defaultdict(list)
    for community_id, status, delivered_at, created_at in Production.objects.values_list(
        "community_id", "status", "delivered_at", "created_at"
    ).order_by():
        delivered_on = _local(delivered_at) if status == ProductionStatus.DELIVERED else None
        productions_of[community_id].append((_local(created_at), delivered_on))

    # Communities per stage at each quarter's end (what the facts said then).
    stages_over_time = []
    for (year, quarter), end in zip(quarters, quarter_ends, strict=True):
        counts = Counter()
        for pk, state, created_at, members, end_date in communities:
            at = _state_at(histories.get(pk, []), end, state, _local(created_at))
            if at is None:
                continue
            held = sorted(d for d in meetings_of.get(pk, []) if d <= end)
            recent = end - datetime.timedelta(days=RECENT_DAYS)
            before = end - datetime.timedelta(days=2 * RECENT_DAYS)
            own = productions_of.get(pk, [])
            delivered = sum(1 for _created, d in own if d and d <= end)
            under_way = sum(1 for created, d in own if created <= end and not (d and d <= end))
            facts = Facts(
                state=at,
                member_count=members,
                end_date=end_date,
                first_meeting=held[0] if held else None,
                meetings_recent=sum(1 for d in held if d > recent),
                meetings_before=sum(1 for d in held if before < d <= recent),
                productions_under_way=under_way,
                productions_delivered=delivered,
            )
            counts[stage_of(facts, end)[0]] += 1
        stages_over_time.append((quarter_label(year, quarter), counts))

    # Members of the network's communities at each month's end.
    window = _moment(months[0] - datetime.timedelta(days=1))
    joined = dict(
        Membership.objects.filter(joined_at__gt=window)
        .annotate(month=TruncMonth("joined_at"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    left = dict(
        Membership.objects.filter(ended_at__gt=window)
        .annotate(month=TruncMonth("ended_at"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    base = (
        Membership.objects.filter(joined_at__lte=window).count()
        - Membership.objects.filter(ended_at__lte=window).count()
    )
    joined = Counter({_month_key(k): v for k, v in joined.items()})
    left = Counter({_month_key(k): v for k, v in left.items()})
    members_over_time = []
    total = base
    for start in months:
        key = start.strftime("%Y-%m")
        total += joined.get(key, 0) - left.get(key, 0)
        members_over_time.append((key, max(total, 0)))

    delivered = Counter(
        {
            _quarter_key(k): v
            for k, v in Production.objects.filter(
                status=ProductionStatus.DELIVERED, delivered_at__isnull=False
            )
            .annotate(quarter=TruncQuarter("delivered_at"))
            .values_list("quarter")
            .annotate(n=Count("id"))
            .order_by()
        }
    )
    productions_per_quarter = [(quarter_label(y, q), delivered.get((y, q), 0)) for y, q in quarters]
    return {
        "states": states_over_time,
        "state_series": [(s, label) for s, label in State.choices],
        "stages": stages_over_time,
        "stage_series": list(Stage.choices),
        "members": members_over_time,
        "meetings": meetings_per_month,
        "productions": productions_per_quarter,
    }


def quarter_label(year, quarter):
    return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}


def _month_key(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%Y-%m")


def _quarter_key(value):
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.year, (value.month - 1) // 3 + 1


def csv_rows(stats):
    """(table, period, series, value) rows: one long table for spreadsheets."""
    yield ("table", "period", "series", "value")
    for period, counts in stats["states"]:
        for state, _label in stats["state_series"]:
            if counts.get(state):
                yield ("communities_per_state", period, state, counts[state])
    for period, counts in stats["stages"]:
        for stage, _label in stats["stage_series"]:
            yield ("communities_per_stage", period, stage, counts.get(stage, 0))
    for period, value in stats["members"]:
        yield ("members", period, "", value)
    for period, value in stats["meetings"]:
        yield ("meetings_per_month", period, "", value)
    for period, value in stats["productions"]:
        yield ("productions_per_quarter", period, "", value)
