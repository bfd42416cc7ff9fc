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
    # A token that is not a live feed: 404 for everybody, signed in or not.
    "meetings:feed": statuses(404, 404, 404),
}


def route_values(community, member):
    from .factories import MeetingFactory

    return {"meeting_id": MeetingFactory(community=community).pk}
