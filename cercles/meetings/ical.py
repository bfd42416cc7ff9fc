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


def series_calendar(series, occurrences):
    """One recurring event for a series (RRULE), its cancelled occurrences as EXDATE, and each
    moved or changed occurrence as an exception with the same UID and its RECURRENCE-ID."""
    host = urlsplit(settings.SITE_URL).hostname or "cercles"
    uid = f"series-{series.pk}@{host}"
    zone = series.tzinfo
    stamp = timezone.now()
    occurrences = list(occurrences)
    first = next((o for o in occurrences if o.series_starts_at == series.first_starts_at), None)
    model = first or (occurrences[0] if occurrences else None)
    master = icalendar.Event()
    master.add("uid", uid)
    master.add("dtstamp", stamp)
    master.add("sequence", series.sequence)
    starts = series.first_starts_at.astimezone(zone)
    master.add("dtstart", starts)
    master.add("dtend", starts + series.duration)
    # UNTIL in UTC, at the end of the last day in the organiser's zone (RFC 5545 3.3.10).
    last = datetime.datetime.combine(series.until, datetime.time(23, 59, 59), tzinfo=zone)
    master.add(
        "rrule",
        {
            "freq": "weekly",
            "interval": series.interval_weeks,
            "until": last.astimezone(datetime.UTC),
        },
    )
    summary = f"{series.title} · {series.community.title}"
    master.add("summary", summary)
    if model is not None:
        page = _absolute(model.get_absolute_url())
        master.add("description", "\n\n".join(p for p in (model.agenda.strip(), page) if p))
        if model.place:
            master.add("location", model.place)
        elif model.online_url:
            master.add("location", model.online_url)
    cancelled = [o.series_starts_at.astimezone(zone) for o in occurrences if o.is_cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", summary)
    calendar.add_component(master)
    for occurrence in occurrences:
        if occurrence.is_cancelled or not (
            occurrence.is_moved_occurrence or occurrence.sequence > 0
        ):
            continue
        event = meeting_event(occurrence, stamp=stamp)
        del event["uid"]
        event.add("uid", uid)
        event.add("recurrence-id", occurrence.series_starts_at.astimezone(zone))
        calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=series.first_starts_at.date() - datetime.timedelta(days=366),
        last_date=series.until + datetime.timedelta(days=366),
    )
    return calendar.to_ical()
