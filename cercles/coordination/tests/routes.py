"""Routes of progress updates for cercles/core/tests/test_routes.py."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "updates:list": statuses(302, 200, 200),
    "updates:new": statuses(302, 403, 403),
}
