"""Routes of progress updates and of the newsletter for cercles/core/tests/test_routes.py."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "updates:list": statuses(302, 200, 200),
    "updates:new": statuses(302, 403, 403),
    # The newsletter: coordinators only; `pk` names no newsletter.
    "newsletter:list": statuses(302, 404, 200),
    "newsletter:sending": statuses(302, 404, 200),
    "newsletter:edit": statuses(302, 404, 404),
    "newsletter:add_image": statuses(302, 404, 405),
    "newsletter:preview": statuses(302, 404, 404),
    "newsletter:preview_email": statuses(302, 404, 404),
    "newsletter:send": statuses(302, 404, 404),
    "newsletter:report": statuses(302, 404, 404),
    # The follow-up of communities (issue 14): every /coordination/ address is 404 to members.
    "follow_up:dashboard": statuses(302, 404, 200),
    "follow_up:csv": statuses(302, 404, 200),
    "follow_up:refresh": statuses(302, 404, 405),
    "follow_up:thresholds": statuses(302, 404, 200),
    "follow_up:community": statuses(302, 404, 200),
    "follow_up:note": statuses(302, 404, 405),
    "follow_up:contact": statuses(302, 404, 405),
    # The archive: every member.
    "newsletter:archive": statuses(302, 200, 200),
    "newsletter:archive_detail": statuses(302, 404, 404),
    # Images load in mail programs without logging in.
    "newsletter:image": statuses(404, 404, 404),
}


def route_values(community, member):
    return {"extension": "jpg"}
