"""Routes of the accompaniment for cercles/core/tests/test_routes.py."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    # The accompaniment is read by the lead, co-lead, mentors and coordinators only.
    "mentoring:list": statuses(302, 404, 200),
    "mentoring:need_new": statuses(302, 405, 405),
    "mentoring:need": statuses(302, 404, 404),
    "mentoring:assign": statuses(302, 405, 405),
    "mentoring:log_session": statuses(302, 405, 405),
    "mentoring:end": statuses(302, 405, 405),
    "mentoring:profile": statuses(302, 200, 200),
}
