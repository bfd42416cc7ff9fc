"""Every change to meetings goes through these functions (views, demo, jobs)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities import services as community_services
from cercles.communities.archive import ensure_writable
from cercles.communities.lifecycle import State
from cercles.communities.services import active_members_of
from cercles.core.audit import record_event
from cercles.notifications.services import notify

from .models import RSVP, Answer, Attendance, CalendarFeed, Meeting, MeetingKind

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
    ).select_related("community")
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
