"""What the platform knows beside each criterion of the health checklist, to prefill the health
review: facts in words, and a suggested rating where the facts speak clearly. About a dozen
queries whatever the size of the community."""

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cercles.communities.freshness import remembered
from cercles.communities.models import Rating, Role
from cercles.discussions.models import Post
from cercles.library.models import NoteRevision, Production, ProductionStatus
from cercles.meetings.models import Attendance, Meeting
from cercles.surveys.models import SurveyFollowUp

from .models import ObjectiveStatus, Season

RECENT_DAYS = 90


@dataclass
class Fact:
    text: str
    suggestion: str = ""  # a Rating value, or "" when the platform cannot tell


def _percent(share):
    return f"{round(share * 100)}\u00a0%"


def remembered_facts(community):
    """facts_for(), remembered until the community changes (communities/freshness.py): the form
    is prefilled from them at each visit; a review records the facts read afresh."""
    return remembered(community, "health-facts", lambda: facts_for(community))


def facts_for(community, today=None):
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    facts = {}

    season = Season.objects.filter(community=community).current(today).first()
    if season is None:
        season = Season.objects.filter(community=community).order_by("-ends_on").first()
    if season is None:
        facts["objectives"] = Fact(_("No season with objectives yet."), Rating.WATCH)
    else:
        counts = dict(season.objectives.values_list("status").annotate(n=Count("id")).order_by())
        total = sum(counts.values())
        reached = counts.get(ObjectiveStatus.REACHED, 0)
        under_way = counts.get(ObjectiveStatus.UNDER_WAY, 0)
        facts["objectives"] = Fact(
            _("“%(season)s”: %(total)s objectives, %(reached)s reached, %(under_way)s under way.")
            % {"season": season.name, "total": total, "reached": reached, "under_way": under_way},
            Rating.OK if total else Rating.PROBLEM,
        )

    posters = set(
        Post.objects.filter(thread__community=community, created_at__gte=since)
        .values_list("author_id", flat=True)
        .distinct()
    )
    attendees = set(
        Attendance.objects.filter(
            meeting__community=community, meeting__starts_at__gte=since, present=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    writers = set(
        NoteRevision.objects.filter(note__community=community, created_at__gte=since)
        .values_list("author_id", flat=True)
        .distinct()
    )
    active = len((posters | attendees | writers) - {None})
    facts["critical_mass"] = Fact(
        _("%(members)s members (target %(min)s to %(max)s); %(active)s took part in the last "
          "%(days)s days (posts, meetings, notes).")
        % {"members": community.member_count, "min": community.target_size_min,
           "max": community.target_size_max, "active": active, "days": RECENT_DAYS},
        Rating.OK if active >= community.target_size_min
        else Rating.WATCH if active >= 2 else Rating.PROBLEM,
    )  # fmt: skip

    circles = community.members_per_circle or {}
    core = circles.get(Role.CORE, 0)
    co_lead = circles.get(Role.CO_LEAD, 0)
    updated = community.next_steps_updated_at
    moderation = ngettext(
        "%(count)s person in the core group.", "%(count)s people in the core group.", core
    ) % {"count": core}
    if updated:
        moderation += " " + _("Next steps updated on %(date)s.") % {
            "date": date_format(updated, "DATE_FORMAT")
        }
    else:
        moderation += " " + _("Next steps never written.")
    stale = updated is None or updated < since
    facts["moderation"] = Fact(
        moderation, Rating.WATCH if stale or not (core or co_lead) else Rating.OK
    )

    meetings = Meeting.objects.filter(community=community, cancelled_at__isnull=True)
    held = meetings.filter(starts_at__gte=since, starts_at__lte=timezone.now()).count()
    upcoming = meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    text = ngettext(
        "%(count)s meeting held in the last %(days)s days.",
        "%(count)s meetings held in the last %(days)s days.",
        held,
    ) % {"count": held, "days": RECENT_DAYS}
    if upcoming:
        text += " " + _("Next one: %(date)s.") % {
            "date": date_format(timezone.localtime(upcoming.starts_at), "DATE_FORMAT")
        }
    facts["meetings"] = Fact(
        text, Rating.OK if held >= 2 else Rating.WATCH if held or upcoming else Rating.PROBLEM
    )

    follow_up = SurveyFollowUp.objects.filter(community=community).first()
    if follow_up is None or follow_up.last_closed_on is None:
        facts["value"] = Fact(_("No expectations survey closed yet."))
    else:
        mean = follow_up.last_satisfaction_mean
        parts = [
            _("Last expectations survey (closed on %(date)s):")
            % {"date": date_format(follow_up.last_closed_on, "DATE_FORMAT")}
        ]
        if mean is not None:
            parts.append(
                _("expectations met %(mean)s/5 on average") % {"mean": number_format(mean, 1)}
            )
        if follow_up.last_response_rate is not None:
            parts.append(
                _("%(rate)s of the members answered")
                % {"rate": _percent(follow_up.last_response_rate)}
            )
        suggestion = ""
        if mean is not None:
            suggestion = (
                Rating.OK if mean >= 3.5 else Rating.WATCH if mean >= 2.5 else Rating.PROBLEM
            )
        facts["value"] = Fact(" ".join(parts[:1]) + " " + ", ".join(parts[1:]) + ".", suggestion)

    statuses = dict(
        Production.objects.filter(community=community)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    overdue = (
        Production.objects.filter(community=community, due_date__lt=today)
        .exclude(status=ProductionStatus.DELIVERED)
        .count()
    )
    facts["productions"] = Fact(
        _("%(planned)s planned, %(in_progress)s in progress, %(delivered)s delivered; "
          "%(overdue)s overdue.")
        % {"planned": statuses.get(ProductionStatus.PLANNED, 0),
           "in_progress": statuses.get(ProductionStatus.IN_PROGRESS, 0),
           "delivered": statuses.get(ProductionStatus.DELIVERED, 0), "overdue": overdue},
        Rating.WATCH if overdue else Rating.OK if sum(statuses.values()) else Rating.WATCH,
    )  # fmt: skip

    facts["support"] = Fact(_("The platform cannot know it: ask the members."))

    facts["roles"] = Fact(
        _("Lead: %(lead)s. Co-lead: %(co_lead)s. Core group: %(core)s.")
        % {
            "lead": community.lead.name,
            "co_lead": _("yes") if co_lead else _("none"),
            "core": core,
        },
        Rating.OK if co_lead and core else Rating.WATCH,
    )
    return facts
