"""Search routes for the permission matrix of core/tests/test_routes.py: visitors search what
is public, so every page answers 200; what each finds is tested in test_leaks.py."""

A, M, C = "anonymous", "member", "coordinator"


def statuses(anonymous, member, coordinator):
    return {A: anonymous, M: member, C: coordinator}


EXPECTED = {
    "search:search": statuses(200, 200, 200),
    "search:suggest": statuses(200, 200, 200),
}
