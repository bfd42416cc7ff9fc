"""The API's routes for cercles/core/tests/test_routes.py: a GET by a visitor, by a member outside
the community and by a coordinator. The API never redirects to the login page: it answers 401,
and 404 for what the caller may not see (here a community whose content the network reads)."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "api:index": statuses(200, 200, 200),
    "api:api-root": statuses(200, 200, 200),
    "api:openapi-json": statuses(200, 200, 200),
    "api:openapi-view": statuses(200, 200, 200),
    "api:problem_type": statuses(200, 200, 200),
    "api:list_communities": statuses(200, 200, 200),
    "api:get_community": statuses(404, 200, 200),
    "api:join_community": statuses(405, 405, 405),
    "api:list_meetings": statuses(404, 200, 200),
    "api:rsvp": statuses(405, 405, 405),
    "api:list_productions": statuses(404, 200, 200),
    "api:network_library": statuses(200, 200, 200),
    "api:list_threads": statuses(404, 200, 200),
    "api:reply": statuses(405, 405, 405),
    "api:me": statuses(401, 200, 200),
    "api:list_notifications": statuses(401, 200, 200),
    "api:read_all": statuses(405, 405, 405),
    "api:read_one": statuses(405, 405, 405),
    "api:list_reports": statuses(401, 200, 200),
    "api:get_report": statuses(401, 404, 404),
}


def route_values(community, member):
    return {"notification_id": 999999, "code": "not-found"}
