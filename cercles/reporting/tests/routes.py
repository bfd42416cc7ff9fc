"""Reporting routes for cercles/core/tests/test_routes.py: stories and stage of a community
the network reads, the coordinators' pages."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "reporting:stories": statuses(302, 200, 200),
    "reporting:feature": statuses(302, 405, 405),
    "reporting:delete": statuses(302, 405, 405),
    "reporting:stage": statuses(302, 403, 200),
    "reporting:story_counts": statuses(302, 403, 200),
    "reporting:stages": statuses(302, 403, 200),
}
