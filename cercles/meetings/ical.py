"""iCalendar documents (RFC 5545) for one meeting or a person's feed, built with `icalendar`.

Times are written in the organiser's zone with its VTIMEZONE, so that calendar programs show the
meeting at the right moment wherever the reader is, and keep it right across daylight saving.
"""

import datetime
from urllib.parse import urljoin, urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

PRODID = "-//Cercles//Meetings//FR"


def _absolute(path):
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def _uid(meeting):
    host = urlsplit(settings.SITE_URL).hostname or "cercles"
    return f"meeting-{meeting.pk}@{host}"


def meeting_event(meeting, *, stamp):
    event = icalendar.Event()
    zone = meeting.tzinfo
    event.add("uid", _uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", f"{meeting.title} · {meeting.community.title}")
    page = _absolute(meeting.get_absolute_url())
    description = [meeting.agenda.strip(), page]
    if meeting.online_url:
        description.insert(0, meeting.online_url)
    event.add("description", "\n\n".join(part for part in description if part))
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.online_url:
        event.add("location", meeting.online_url)
    event.add("url", meeting.online_url or page)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("last-modified", meeting.updated_at)
    return event


def calendar_for(meetings, *, name):
    """An iCalendar document (bytes) with the given meetings and the time zones they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    earliest = latest = None
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
        earliest = min(earliest or meeting.starts_at, meeting.starts_at)
        latest = max(latest or meeting.ends_at, meeting.ends_at)
    if earliest is not None:
        # Only the transitions around the meetings, not fifty years of them.
        calendar.add_missing_timezones(
            first_date=earliest.date() - datetime.timedelta(days=366),
            last_date=latest.date() + datetime.timedelta(days=366),
        )
    return calendar.to_ical()
