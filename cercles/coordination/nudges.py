"""Friendly reminders to the lead when a community goes quiet ("no activity") or its next steps
were not updated: at most one a week per community, kept in the follow-up so that the
coordinators see what was sent (seed 000: "que la communication se fait de manière régulière")."""

import datetime

from django.db import transaction
from django.utils import timezone

from cercles.notifications.services import notify

from . import dashboard
from .models import CommunityFigures, FollowUpNote

NUDGED_FLAGS = ("no_activity", "next_steps_stale")
EVERY = datetime.timedelta(days=7)


def send_nudges(now=None):
    """Remind the leads of the flagged communities not reminded in the last week. Returns the
    number of reminders sent."""
    now = now or timezone.now()
    recent = set(
        FollowUpNote.objects.filter(
            kind=FollowUpNote.Kind.NUDGE, created_at__gt=now - EVERY
        ).values_list("community_id", flat=True)
    )
    sent = 0
    for figures in CommunityFigures.objects.filter(
        flag_count__gt=0, community__state__in=dashboard.RUNNING
    ).select_related("community__lead"):
        flags = [f for f in figures.flags if f["code"] in NUDGED_FLAGS]
        if not flags or figures.community_id in recent:
            continue
        _nudge(figures.community, flags, now)
        sent += 1
    return sent


@transaction.atomic
def _nudge(community, flags, now):
    codes = [f["code"] for f in flags]
    variant = codes[0] if len(codes) == 1 else "both"
    reasons = " ".join(dashboard.FLAGS[f["code"]].reason_for(f["params"]) for f in flags)
    FollowUpNote.objects.create(
        community=community,
        kind=FollowUpNote.Kind.NUDGE,
        recipient=community.lead,
        subject=", ".join(codes),
        body=reasons,
        created_at=now,
    )
    lead, url = community.lead, community.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            lead,
            "coordination.nudge",
            url=url,
            community=community.title,
            community_id=community.pk,
            flag=variant,
        )
    )


def last_reminders(communities):
    """{community id: when the last reminder was sent}, one query, for the dashboard column."""
    from django.db.models import Max

    return dict(
        FollowUpNote.objects.filter(kind=FollowUpNote.Kind.NUDGE, community__in=communities)
        .values("community")
        .annotate(last=Max("created_at"))
        .values_list("community", "last")
    )


def _register_column():
    from django.utils.translation import gettext_lazy as _

    dashboard.register_column(
        "reminder",
        _("Last reminder to the lead"),
        lambda row: dashboard.format_date(row.extra.get("reminder")),
        sort=lambda row: row.extra.get("reminder").timestamp() if row.extra.get("reminder") else 0,
        loader=last_reminders,
        order=170,
    )


_register_column()
