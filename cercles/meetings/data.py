"""Meetings in a community's export (.ics and minutes) and in a person's data (answers)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.core.archives import safe_name

from . import ical
from .models import RSVP, Attendance, CalendarFeed, Meeting


def _minutes_markdown(meeting):
    lines = [f"# {meeting.title}", ""]
    starts = timezone.localtime(meeting.starts_at, meeting.tzinfo)
    lines.append(f"*{meeting.get_kind_display()} · {starts:%Y-%m-%d %H:%M} ({meeting.time_zone})*")
    lines.append("")
    if meeting.place:
        lines += [f"{_('Place')}: {meeting.place}", ""]
    if meeting.online_url:
        lines += [f"{_('Link to join online')}: {meeting.online_url}", ""]
    if meeting.cancelled_at:
        lines += ["**" + _("Cancelled") + "**" + (f": {meeting.cancellation_reason}"
                  if meeting.cancellation_reason else ""), ""]  # fmt: skip
    sections = [
        (_("Agenda"), meeting.agenda),
        (_("Minutes"), meeting.minutes if meeting.minutes_published_at else ""),
        (_("Topics"), meeting.formula_topics),
        (_("Expectations"), meeting.formula_expectations),
        (_("Objectives"), meeting.formula_objectives),
    ]
    for title, text in sections:
        if text.strip():
            lines += [f"## {title}", "", text.strip(), ""]
    return "\n".join(lines)


def write_meetings(community, writer, folder):
    meetings = Meeting.objects.filter(community=community).select_related("community")
    for meeting in meetings.order_by("starts_at", "pk").iterator(chunk_size=200):
        base = f"{folder}/{meeting.starts_at:%Y-%m-%d}-{meeting.pk}-{safe_name(meeting.title)}"
        writer.text(f"{base}.md", _minutes_markdown(meeting))
        calendar = ical.calendar_for([meeting], name=community.title)
        writer.text(f"{base}.ics", calendar.decode())


def export_personal(person, writer):
    writer.json_list(
        "meetings/answers.json",
        (
            {
                "community": rsvp.meeting.community.title,
                "meeting": rsvp.meeting.title,
                "starts_at": rsvp.meeting.starts_at,
                "answer": rsvp.answer,
                "answered_at": rsvp.answered_at,
            }
            for rsvp in RSVP.objects.filter(user=person).select_related("meeting__community")
        ),
    )
    writer.json_list(
        "meetings/attendance.json",
        (
            {
                "community": a.meeting.community.title,
                "meeting": a.meeting.title,
                "starts_at": a.meeting.starts_at,
                "present": a.present,
            }
            for a in Attendance.objects.filter(user=person).select_related("meeting__community")
        ),
    )


def erase_personal(person, actor):
    """Answers to meetings to come go (nobody waits for the person any more); the record of
    past meetings stays. The private calendar address stops working."""
    RSVP.objects.filter(user=person, meeting__starts_at__gt=timezone.now()).delete()
    CalendarFeed.objects.filter(user=person).delete()
