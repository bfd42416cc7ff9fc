"""The dashboard's rows and summary, read from the stored figures in a fixed number of queries
whatever the number of communities, and its CSV export."""

import csv
import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Membership, MembershipStatus

from . import dashboard
from .figures import FOLLOWED_STATES, SUMMARY_LIFETIME, figures_of, summary_key

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _followed(*, state="", theme=None, territory=None):
    queryset = Community.objects.filter(state__in=FOLLOWED_STATES, is_leads_circle=False)
    if state:
        queryset = queryset.filter(state=state)
    if theme is not None:
        queryset = queryset.filter(themes=theme)
    if territory is not None:
        queryset = queryset.filter(territories=territory)
    return queryset


def _rows(communities):
    """Rows of the communities given, with what the columns' loaders find for them."""
    rows = [dashboard.Row(c, figures_of(c)) for c in communities]
    communities = [r.community for r in rows]
    for column in dashboard.columns():
        if column.loader is not None:
            values = column.loader(communities) if communities else {}
            for row in rows:
                row.extra[column.key] = values.get(row.community.pk)
    return rows


def rows_for(*, state="", theme=None, territory=None, flag="", sort=""):
    """The dashboard's rows, filtered and sorted (most flags first by default)."""
    queryset = _followed(state=state, theme=theme, territory=territory)
    queryset = queryset.select_related("lead", "figures", "survey_follow_up")
    communities = list(queryset.order_by("title", "pk"))
    if flag == "any":
        communities = [c for c in communities if figures_of(c).flag_count]
    elif flag:
        communities = [c for c in communities if flag in figures_of(c).flag_codes]
    return sort_rows(_rows(communities), sort)


@dataclass
class DashboardPage:
    page: object  # a Paginator page whose object_list is the page's rows
    total: int
    flagged: int
    computed_at: object


def dashboard_page(number, per_page, *, state="", theme=None, territory=None, flag="", sort=""):
    """One page of the dashboard. In its first order (most flags first, then by title) and with
    the filters the database can apply, the database counts, sorts and cuts the page: only its
    rows are read, whatever the number of communities. Other orders are computed from every
    row (rows_for)."""
    if sort or flag not in ("", "any"):
        rows = rows_for(state=state, theme=theme, territory=territory, flag=flag, sort=sort)
        computed = [r.figures.computed_at for r in rows if r.figures.computed_at]
        return DashboardPage(
            page=Paginator(rows, per_page).get_page(number),
            total=len(rows),
            flagged=sum(1 for r in rows if r.figures.flag_count),
            computed_at=min(computed) if computed else None,
        )
    queryset = _followed(state=state, theme=theme, territory=territory)
    if flag == "any":
        queryset = queryset.filter(figures__flag_count__gt=0)
    figures = queryset.aggregate(
        total=Count("pk"),
        flagged=Count("pk", filter=Q(figures__flag_count__gt=0)),
        computed_at=Min("figures__computed_at"),
    )
    ordered = queryset.select_related("lead", "figures", "survey_follow_up").order_by(
        Coalesce("figures__flag_count", 0).desc(), "title", "pk"
    )
    paginator = Paginator(ordered, per_page)
    paginator.count = figures["total"]  # counted above, with the flags
    page = paginator.get_page(number)
    page.object_list = _rows(list(page.object_list))
    return DashboardPage(page, figures["total"], figures["flagged"], figures["computed_at"])


def sort_rows(rows, sort):
    key = sort.lstrip("-")
    column = dashboard.COLUMNS.get(key)
    if column is None:
        return sorted(rows, key=lambda r: -r.figures.flag_count)
    descending = sort.startswith("-")
    present = [r for r in rows if column.sort_key(r) not in (None, "")]
    missing = [r for r in rows if column.sort_key(r) in (None, "")]
    present.sort(key=column.sort_key, reverse=descending)
    return present + missing


def quarter_start(today):
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def summary(today=None):
    """The strip on top of the dashboard: communities per state (codes), people taking part,
    meetings this quarter, productions delivered this year. Four queries."""
    from cercles.library.models import Production, ProductionStatus
    from cercles.meetings.models import Meeting

    today = today or timezone.localdate()
    per_state = {
        row["state"]: row["n"]
        for row in Community.objects.filter(is_leads_circle=False)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    }
    states = [(s, per_state[s]) for s in State.values if per_state.get(s) and s != State.DRAFT]
    members = (
        Membership.objects.filter(
            status=MembershipStatus.ACTIVE,
            community__state__in=(State.OPEN, State.ACTIVE),
            community__is_leads_circle=False,
        )
        .values("user")
        .distinct()
        .count()
    )
    start = quarter_start(today)
    meetings = Meeting.objects.filter(
        cancelled_at__isnull=True,
        starts_at__date__gte=start,
        starts_at__date__lte=today,
    ).count()
    productions = Production.objects.filter(
        status=ProductionStatus.DELIVERED, delivered_at__year=today.year
    ).count()
    return {
        "states": states,
        "members": members,
        "meetings_this_quarter": meetings,
        "quarter_start": start,
        "productions_this_year": productions,
    }


def remembered_summary():
    """The strip as the dashboard shows it: read at most every ten minutes and again after each
    refresh of the figures (network-wide counts, which the dashboard's hourly figures lag
    behind anyway): four queries saved on each visit."""
    remembered = cache.get_or_set(summary_key(), summary, SUMMARY_LIFETIME)
    labels = dict(State.choices)
    return {**remembered, "states": [(labels[s], n) for s, n in remembered["states"]]}


def neutralise(value):
    """A cell a spreadsheet shows as text, never runs: formulas get a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """The CSV of exactly the table shown (every column, the flags in words), line by line."""
    writer = csv.writer(_Echo())
    columns = dashboard.columns()
    yield "\ufeff" + writer.writerow([neutralise(c.label) for c in columns])
    for row in rows:
        yield writer.writerow([neutralise(c.display(row)) for c in columns])
