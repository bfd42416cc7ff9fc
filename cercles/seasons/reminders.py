"""The reminders of a community's rhythm, each sent once (ReminderSent keeps which went out)."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cercles.accounts.models import User
from cercles.communities.health import HEALTH_REVIEW_EVERY_DAYS
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, MembershipStatus, Role
from cercles.communities.services import leaders_of
from cercles.notifications.services import notify
from cercles.surveys.models import SurveyFollowUp

from .models import ReminderSent, Season

END_OF_LIFE_DAYS = 30
SEASON_END_DAYS = 14


def _once(community, key):
    """True the first time this reminder is claimed (two workers cannot both send it)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(community=community, key=key)
    except IntegrityError:
        return False
    return True


def _core_and_leaders(community):
    return User.objects.filter(
        memberships__community=community,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[Role.LEAD, Role.CO_LEAD, Role.CORE],
    )


def _remind(community, key, recipients, about, url, **params):
    if not _once(community, key):
        return 0
    notify(list(recipients), "seasons.reminder", url=url, about=about, community=community.title,
           community_id=community.pk, **params)  # fmt: skip
    return 1


def send_reminders(today=None):
    today = today or timezone.localdate()
    sent = dict.fromkeys(
        ["end_of_life", "season_ends", "season_ended", "health_due", "record_missing"], 0
    )
    running = Community.objects.filter(state__in=[State.OPEN, State.ACTIVE])

    for community in running.filter(
        end_date__gte=today, end_date__lte=today + datetime.timedelta(days=END_OF_LIFE_DAYS)
    ):
        sent["end_of_life"] += _remind(
            community, f"end_of_life:{community.end_date}", leaders_of(community), "end_of_life",
            reverse("seasons:list", args=[community.slug]),
            date=date_format(community.end_date, "DATE_FORMAT"),
        )  # fmt: skip

    seasons = Season.objects.filter(
        community__state__in=[State.OPEN, State.ACTIVE, State.CLOSED, State.DISSOLVED],
        review_published_at__isnull=True,
        ends_on__lte=today + datetime.timedelta(days=SEASON_END_DAYS),
        ends_on__gte=today - datetime.timedelta(days=60),
    ).select_related("community")
    for season in seasons:
        community = season.community
        url = reverse("seasons:review", args=[community.slug, season.pk])
        if season.ends_on >= today:
            sent["season_ends"] += _remind(
                community, f"season_ends:{season.pk}", leaders_of(community), "season_ends", url,
                season=season.name, date=date_format(season.ends_on, "DATE_FORMAT"),
            )  # fmt: skip
        else:
            sent["season_ended"] += _remind(
                community, f"season_ended:{season.pk}", _core_and_leaders(community),
                "season_ended", url, season=season.name,
            )  # fmt: skip

    # Due every four months after the last review, or after the community became active.
    last_reviews = dict(
        running.filter(state=State.ACTIVE)
        .annotate(last=Max("health_reviews__created_at"))
        .values_list("pk", "last")
    )
    activated = dict(
        running.filter(state=State.ACTIVE, state_changes__to_state=State.ACTIVE)
        .annotate(at=Max("state_changes__created_at"))
        .values_list("pk", "at")
    )
    # Aligned with the expectations survey: its results are what the review needs.
    surveyed = dict(
        SurveyFollowUp.objects.filter(
            community__in=running.filter(state=State.ACTIVE), last_closed_on__isnull=False
        ).values_list("community_id", "last_closed_on")
    )
    for community in running.filter(state=State.ACTIVE):
        since = last_reviews.get(community.pk) or activated.get(community.pk)
        if since is None:
            continue
        due = timezone.localdate(since) + datetime.timedelta(days=HEALTH_REVIEW_EVERY_DAYS)
        closed = surveyed.get(community.pk)
        if closed is not None and closed > timezone.localdate(since) and closed < due:
            due = closed
        if due <= today:
            sent["health_due"] += _remind(
                community, f"health_due:{due}", _core_and_leaders(community), "health_due",
                reverse("seasons:health_new", args=[community.slug]),
            )  # fmt: skip

    week = today.isocalendar()
    for community in Community.objects.filter(state__in=[State.CLOSED, State.DISSOLVED]).exclude(
        final_record__given_at__isnull=False
    ):
        recipients = list(leaders_of(community)) or list(User.objects.coordinators())
        sent["record_missing"] += _remind(
            community, f"record_missing:{week.year}-{week.week}", recipients, "record_missing",
            reverse("seasons:closing", args=[community.slug]),
        )  # fmt: skip
    return sent
