"""The pages under benchmark, who requests each, and how many queries each costs."""

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cercles.accounts.models import User  # noqa: E402
from cercles.communities.models import Community  # noqa: E402


def session_for(user):
    if user.is_coordinator or user.is_staff:
        # Coordinators use a second factor in production (MFA_REQUIRED_FOR_COORDINATORS).
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
        )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def people():
    """The bench network's typical people (see bench/generate.py)."""
    big = Community.objects.order_by("pk").first()
    return {
        "coordinator": User.objects.filter(is_coordinator=True).order_by("pk").first(),
        "member": User.objects.get(username="bench-100"),
        "lead": big.lead,
        "member of every community": User.objects.get(username="bench-5"),
    }


def pages_and_sessions():
    big = Community.objects.order_by("pk").first()
    pages = [
        {"name": "landing", "path": "/", "who": "visitor"},
        {"name": "catalogue", "path": "/communities/", "who": "member"},
        {"name": "community home (largest)", "path": big.get_absolute_url(), "who": "member"},
        {"name": "members (largest)", "path": f"{big.get_absolute_url()}members/", "who": "lead"},
        {"name": "review queue", "path": "/review/", "who": "coordinator"},
        {"name": "notifications", "path": "/notifications/", "who": "lead"},
        {"name": "home of the member of every community", "path": "/",
         "who": "member of every community"},
        {"name": "directory", "path": "/people/", "who": "member"},
    ]  # fmt: skip
    pages += extra_pages(big)
    cookies = {who: session_for(user) for who, user in people().items()}
    return pages, cookies


def extra_pages(big):
    """Pages of later parts of the product, added as they land."""
    pages = []
    try:
        from bench.pages_more import more_pages
    except ImportError:
        return pages
    return pages + more_pages(big)


def count_queries(path, cookie):
    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    if cookie:
        assert response.wsgi_request.user.is_authenticated, f"{path}: the bench session is invalid"
    return len(queries)


# A sequential scan reading more rows than this is reported: a list query should find its page
# through an index whatever the network's size.
LARGE_SCAN_ROWS = 1000


def explain_queries(path, cookie):
    """Every SELECT of a page, explained with its actual run on PostgreSQL: the slowest one and
    the sequential scans of many rows, which a list query should not need."""
    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    client.get(path)  # warm: the page's own first-visit writes (read markers) are done
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    slowest, large_scans = 0.0, []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0][0]
            slowest = max(slowest, plan["Execution Time"])
            for node in _nodes(plan["Plan"]):
                read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
                if node["Node Type"] == "Seq Scan" and read > LARGE_SCAN_ROWS:
                    large_scans.append(f"{node['Relation Name']} ({read} rows)")
    return {"slowest_query_ms": round(slowest, 2), "large_scans": large_scans}


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)
