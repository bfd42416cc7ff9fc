"""Routes of progress updates and of the newsletter for cercles/core/tests/test_routes.py."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "updates:list": statuses(302, 200, 200),
    "updates:new": statuses(302, 403, 403),
    # The newsletter: coordinators only; `pk` names no newsletter.
    "newsletter:list": statuses(302, 403, 200),
    "newsletter:sending": statuses(302, 403, 200),
    "newsletter:edit": statuses(302, 403, 404),
    "newsletter:add_image": statuses(302, 405, 405),
    "newsletter:preview": statuses(302, 403, 404),
    "newsletter:preview_email": statuses(302, 403, 404),
    "newsletter:send": statuses(302, 403, 404),
    "newsletter:report": statuses(302, 403, 404),
    # The archive: every member.
    "newsletter:archive": statuses(302, 200, 200),
    "newsletter:archive_detail": statuses(302, 404, 404),
    # Images load in mail programs without logging in.
    "newsletter:image": statuses(404, 404, 404),
}


def route_values(community, member):
    return {"extension": "jpg"}
