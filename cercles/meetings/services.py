"""Every change to meetings goes through these functions (views, demo, jobs)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities import services as community_services
from cercles.communities.archive import ensure_writable
from cercles.communities.lifecycle import State
from cercles.communities.services import active_members_of
from cercles.core.audit import record_event
from cercles.notifications.services import notify

from .models import (
    MAX_OCCURRENCES,
    RSVP,
    Answer,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingSeries,
)

EDITABLE_FIELDS = (
    "kind", "title", "starts_at", "ends_at", "time_zone", "place", "online_url", "agenda",
)  # fmt: skip
# A change to one of these is news for every member (and for their calendars).
TIME_AND_PLACE = ("starts_at", "ends_at", "place", "online_url")
REMINDER_WINDOW = datetime.timedelta(hours=24)


def _require(actor, permission, obj):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _notify_members(meeting, notification_kind, *, actor, **params):
    recipients = list(active_members_of(meeting.community))
    url = meeting.get_absolute_url()
    params = {
        "meeting": meeting.title,
        "community": meeting.community.title,
        "community_id": meeting.community_id,
        **params,
    }
    transaction.on_commit(
        lambda: notify(recipients, notification_kind, actor=actor, url=url, **params)
    )


def _check_single_kick_off(meeting):
    if meeting.kind != MeetingKind.KICK_OFF:
        return
    others = Meeting.objects.filter(
        community=meeting.community, kind=MeetingKind.KICK_OFF, cancelled_at__isnull=True
    ).exclude(pk=meeting.pk)
    if others.exists():
        raise ValidationError(
            {"kind": _("This community already has a kick-off meeting: plan a regular one.")}
        )


def _bump_series(meeting):
    """Calendars update a series (its exceptions) only when its SEQUENCE grows."""
    if meeting.series_id:
        MeetingSeries.objects.filter(pk=meeting.series_id).update(sequence=F("sequence") + 1)


def _check_future(starts_at):
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("This date and time are already past.")})


@transaction.atomic
def plan_meeting(actor, community, **fields):
    """Plan a meeting (fields as in EDITABLE_FIELDS) and tell the community's members."""
    ensure_writable(community)
    _require(actor, "meetings.plan_meeting", community)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(community=community, created_by=actor, **fields)
    meeting.full_clean()
    _check_future(meeting.starts_at)
    _check_single_kick_off(meeting)
    meeting.save()
    record_event(actor, "meeting.planned", meeting, community=community.slug)
    _notify_members(meeting, "meetings.planned", actor=actor, meeting_kind=meeting.kind)
    return meeting


@transaction.atomic
def update_meeting(actor, meeting, **fields):
    """Change a meeting; members hear of it only when its time or place changes."""
    ensure_writable(meeting)
    _require(actor, "meetings.edit_meeting", meeting)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, fields[name])
    meeting.full_clean()
    if "starts_at" in changed:
        _check_future(meeting.starts_at)
        meeting.reminder_sent_at = None  # moved: remind again before the new date
    if "kind" in changed:
        _check_single_kick_off(meeting)
    moved = any(name in TIME_AND_PLACE for name in changed)
    if moved:
        meeting.sequence += 1
        _bump_series(meeting)
    meeting.save()
    record_event(actor, "meeting.updated", meeting, fields=sorted(changed))
    if moved:
        _notify_members(meeting, "meetings.changed", actor=actor, change="moved")
    return meeting


@transaction.atomic
def cancel_meeting(actor, meeting, *, reason=""):
    ensure_writable(meeting)
    _require(actor, "meetings.cancel_meeting", meeting)
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "cancellation_reason", "sequence", "updated_at"])
    _bump_series(meeting)
    record_event(actor, "meeting.cancelled", meeting, reason=meeting.cancellation_reason)
    extra = {"note": meeting.cancellation_reason} if meeting.cancellation_reason else {}
    _notify_members(meeting, "meetings.changed", actor=actor, change="cancelled", **extra)
    return meeting


def rsvp(actor, meeting, answer):
    """Answer yes / maybe / no; refused once the meeting is cancelled or has started."""
    if answer not in Answer.values:
        raise ValidationError(_("Choose yes, maybe or no."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."))
    if meeting.has_started:
        raise ValidationError(_("This meeting has already started: answers are closed."))
    ensure_writable(meeting)
    _require(actor, "meetings.rsvp", meeting)
    reply, _created = RSVP.objects.update_or_create(
        meeting=meeting, user=actor, defaults={"answer": answer}
    )
    return reply


@transaction.atomic
def record_attendance(actor, meeting, present_ids):
    """Who came, among the community's active members; everyone else listed is refused."""
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."))
    if not meeting.has_started:
        raise ValidationError(_("Attendance is recorded once the meeting has started."))
    ensure_writable(meeting)
    _require(actor, "meetings.record_attendance", meeting)
    members = {user.pk: user for user in active_members_of(meeting.community)}
    present_ids = {int(pk) for pk in present_ids}
    strangers = present_ids - set(members)
    if strangers:
        raise ValidationError(_("Only members of the community can be marked present."))
    Attendance.objects.filter(meeting=meeting, user_id__in=list(members)).delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user_id=pk, present=pk in present_ids) for pk in members
    )
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["attendance_recorded_at", "updated_at"])
    record_event(actor, "meeting.attendance", meeting, present=len(present_ids))
    return meeting


@transaction.atomic
def publish_minutes(actor, meeting, *, minutes, topics="", expectations="", objectives=""):
    """Publish (or correct) the minutes. The kick-off's minutes record the community's formula
    (topics, expectations, objectives — seed 002), and publishing them is what marks the kick-off
    as held: an open community then becomes active, when the actor may activate it (a lead or
    co-lead; a core member's minutes leave that step to them).

    Returns True when the community was activated.
    """
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting has been cancelled."))
    if not meeting.has_started:
        raise ValidationError(_("Minutes are published once the meeting has started."))
    ensure_writable(meeting)
    _require(actor, "meetings.publish_minutes", meeting)
    errors = {}
    if meeting.is_kick_off:
        formula = {"topics": topics, "expectations": expectations, "objectives": objectives}
        for name, value in formula.items():
            if not value.strip():
                errors[name] = _("The kick-off meeting records the formula: fill this in.")
    elif not minutes.strip():
        errors["minutes"] = _("Write the minutes before publishing them.")
    if errors:
        raise ValidationError(errors)
    first_time = meeting.minutes_published_at is None
    meeting.minutes = minutes.strip()
    meeting.formula_topics = topics.strip()
    meeting.formula_expectations = expectations.strip()
    meeting.formula_objectives = objectives.strip()
    if first_time:
        meeting.minutes_published_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    record_event(actor, "meeting.minutes", meeting, first_time=first_time)
    if first_time:
        _notify_members(meeting, "meetings.minutes", actor=actor)
    community = meeting.community
    if (
        meeting.is_kick_off
        and community.state == State.OPEN
        and actor.has_perm("communities.activate_community", community)
    ):
        community_services.transition(actor, community, "activate")
        return True
    return False


# --- reminders --------------------------------------------------------------------------------


def send_due_reminders(now=None):
    """Remind the members of meetings starting within 24 hours, once per meeting (per date).

    Each reminder is claimed by a conditional update before it is sent, so two workers running
    the job at the same time do not both send it. Returns the number of meetings reminded.
    """
    now = now or timezone.now()
    due = Meeting.objects.filter(
        cancelled_at__isnull=True,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_WINDOW,
    ).select_related("community", "facilitator", "note_taker", "time_keeper")
    sent = 0
    for meeting in due:
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            declined = RSVP.objects.filter(meeting=meeting, answer=Answer.NO).values("user_id")
            recipients = list(active_members_of(meeting.community).exclude(pk__in=declined))
            url = meeting.get_absolute_url()
            params = {
                "meeting": meeting.title,
                "community": meeting.community.title,
                "community_id": meeting.community_id,
                **reminder_roles(meeting),
            }
            transaction.on_commit(
                lambda r=recipients, u=url, p=params: notify(r, "meetings.reminder", url=u, **p)
            )
            sent += 1
    return sent


# --- calendar feeds ---------------------------------------------------------------------------


def calendar_feed_of(user):
    """The person's live calendar feed, or None."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def renew_calendar_feed(user):
    """A new private address for the person's calendar; the previous one stops working."""
    revoke_calendar_feed(user)
    feed = CalendarFeed.objects.create(user=user)
    record_event(user, "calendar_feed.created", feed)
    return feed


@transaction.atomic
def revoke_calendar_feed(user):
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        record_event(user, "calendar_feed.revoked", user)
    return bool(revoked)


# --- series of regular meetings (issue 11) ------------------------------------------------------

SESSION_ROLES = ("facilitator", "note_taker", "time_keeper")


def series_starts(first_starts_at, zone, interval_weeks, until):
    """The start of each occurrence: the same wall-clock time in the organiser's zone, every
    `interval_weeks` weeks, up to `until` included (one more than the limit at most)."""
    local = first_starts_at.astimezone(zone)
    day, clock = local.date(), local.time().replace(tzinfo=None)
    starts = []
    while day <= until and len(starts) <= MAX_OCCURRENCES:
        starts.append(timezone.make_aware(datetime.datetime.combine(day, clock), zone))
        day += datetime.timedelta(weeks=interval_weeks)
    return starts


def series_problems(first_starts_at, zone, interval_weeks, until):
    """{field: [message]}: a series must end, and have at most MAX_OCCURRENCES occurrences."""
    if not interval_weeks or interval_weeks < 1 or interval_weeks > 52:
        return {"repeat_every_weeks": [_("Repeat every 1 to 52 weeks.")]}
    if until is None:
        return {
            "repeat_until": [
                _("Give the date of the last meeting: a series cannot go on for ever.")
            ]
        }
    if first_starts_at and until < first_starts_at.astimezone(zone).date():
        return {"repeat_until": [_("The last meeting cannot come before the first.")]}
    if first_starts_at:
        count = len(series_starts(first_starts_at, zone, interval_weeks, until))
        if count > MAX_OCCURRENCES:
            return {
                "repeat_until": [
                    _(
                        "This would make more than %(limit)s meetings: choose an earlier last "
                        "date or a longer interval."
                    )
                    % {"limit": MAX_OCCURRENCES}
                ]
            }
    return {}


def rotation_of(community):
    """Who takes the roles of the sessions in turn: the inner circle and above, by seniority."""
    from cercles.communities.models import Role

    return list(
        community.memberships.active()
        .filter(role__in=[Role.LEAD, Role.CO_LEAD, Role.CORE, Role.INNER])
        .select_related("user")
        .order_by("joined_at", "id")
        .values_list("user", flat=True)
    )


def _rotating_roles(people, index):
    if not people:
        return {}
    return {
        role: people[(index + offset) % len(people)] for offset, role in enumerate(SESSION_ROLES)
    }


@transaction.atomic
def plan_series(actor, community, *, interval_weeks, until, rotate_roles=True, **fields):
    """Plan regular meetings: one Meeting per occurrence, every `interval_weeks` weeks on the
    weekday of the first, until `until` (at most 200); roles rotate among the inner circle.
    Members hear of the series once."""
    ensure_writable(community)
    _require(actor, "meetings.plan_meeting", community)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    template = Meeting(community=community, created_by=actor, **fields)
    template.full_clean()
    _check_future(template.starts_at)
    if template.kind == MeetingKind.KICK_OFF:
        raise ValidationError({"kind": _("The kick-off happens once: plan regular meetings.")})
    zone = template.tzinfo
    problems = series_problems(template.starts_at, zone, interval_weeks, until)
    if problems:
        raise ValidationError(problems)
    series = MeetingSeries.objects.create(
        community=community,
        title=template.title,
        first_starts_at=template.starts_at,
        duration=template.ends_at - template.starts_at,
        time_zone=template.time_zone,
        interval_weeks=interval_weeks,
        until=until,
        rotate_roles=rotate_roles,
        created_by=actor,
    )
    people = rotation_of(community) if rotate_roles else []
    user_ids = set(people)
    from cercles.accounts.models import User

    users = User.objects.in_bulk(user_ids)
    occurrences = []
    for index, starts_at in enumerate(
        series_starts(template.starts_at, zone, interval_weeks, until)
    ):
        roles = {role: users[pk] for role, pk in _rotating_roles(people, index).items()}
        occurrences.append(
            Meeting(
                community=community,
                created_by=actor,
                series=series,
                series_starts_at=starts_at,
                starts_at=starts_at,
                ends_at=starts_at + series.duration,
                **{name: getattr(template, name) for name in EDITABLE_FIELDS
                   if name not in ("starts_at", "ends_at")},
                **roles,
            )
        )  # fmt: skip
    Meeting.objects.bulk_create(occurrences)
    first = series.occurrences.order_by("starts_at").first()
    record_event(actor, "meeting.series_planned", first, community=community.slug,
                 occurrences=len(occurrences))  # fmt: skip
    _notify_members(first, "meetings.planned", actor=actor, meeting_kind=first.kind)
    return series


@transaction.atomic
def assign_roles(actor, meeting, **roles):
    """Set who facilitates, takes notes and keeps time at one meeting (active members only)."""
    ensure_writable(meeting)
    _require(actor, "meetings.edit_meeting", meeting)
    members = set(active_members_of(meeting.community).values_list("pk", flat=True))
    errors = {}
    for role, person in roles.items():
        if role not in SESSION_ROLES:
            raise TypeError(f"unknown role {role!r}")
        if person is not None and person.pk not in members:
            errors[role] = [_("Choose an active member of the community.")]
    if errors:
        raise ValidationError(errors)
    for role, person in roles.items():
        setattr(meeting, role, person)
    meeting.save(update_fields=[*roles, "updated_at"])
    record_event(actor, "meeting.roles", meeting, roles={k: getattr(v, "pk", None)
                                                         for k, v in roles.items()})  # fmt: skip
    return meeting


def reminder_roles(meeting):
    """The session's roles as the reminder's parameters (names), or {} when none is set."""
    if not (meeting.facilitator_id or meeting.note_taker_id or meeting.time_keeper_id):
        return {"with_roles": "no"}
    dash = "—"
    return {
        "with_roles": "yes",
        "facilitator": meeting.facilitator.name if meeting.facilitator else dash,
        "note_taker": meeting.note_taker.name if meeting.note_taker else dash,
        "time_keeper": meeting.time_keeper.name if meeting.time_keeper else dash,
    }
