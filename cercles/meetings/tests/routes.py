"""Routes of the meetings app for cercles/core/tests/test_routes.py."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "meetings:list": statuses(302, 200, 200),
    "meetings:create": statuses(302, 403, 403),
    "meetings:detail": statuses(302, 200, 200),
    "meetings:ics": statuses(302, 200, 200),
    "meetings:edit": statuses(302, 403, 403),
    "meetings:cancel": statuses(302, 403, 403),
    "meetings:rsvp": statuses(302, 405, 405),
    "meetings:attendance": statuses(302, 405, 405),
    "meetings:minutes": statuses(302, 403, 403),
    "meetings:calendar": statuses(302, 200, 200),
    "meetings:roles": statuses(302, 405, 405),
    "meetings:series_ics": statuses(302, 200, 200),
    # A token that is not a live feed: 404 for everybody, signed in or not.
    "meetings:feed": statuses(404, 404, 404),
}


def route_values(community, member):
    import datetime

    from django.utils import timezone

    from cercles.meetings.models import MeetingSeries

    from .factories import MeetingFactory

    series = MeetingSeries.objects.create(
        community=community,
        title="Point d'équipe",
        first_starts_at=timezone.now() + datetime.timedelta(days=2),
        duration=datetime.timedelta(hours=1),
        until=timezone.localdate() + datetime.timedelta(days=30),
    )
    return {"meeting_id": MeetingFactory(community=community).pk, "series_id": series.pk}
