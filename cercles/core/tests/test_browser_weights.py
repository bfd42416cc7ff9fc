"""Page weights on a weak connection (issue 10, point 6), measured in the browser at 360 px.

First load: the page's HTML as the browser received it (compressed by GZipMiddleware), plus
every file it loaded. Files under /static/ are counted as WhiteNoise serves them in production:
compressed (gzip, level 9, the smallest of WhiteNoise's two encodings being Brotli's) for text
files, as they are otherwise; the test server serves them raw, so their size is computed from
the file found by the static finders. Repeat load: the HTML alone, since static files carry
their hash in their name and a year of cache in production.

The figures are written to test-artifacts/page-weights.json and copied into bench/NOTES.md
(which make bench appends to bench/RESULTS.md).
"""

import gzip
import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from cercles.accounts.tests.factories import PASSWORD, CoordinatorFactory, UserFactory
from cercles.communities import services
from cercles.communities.lifecycle import State
from cercles.communities.models import Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import ARTIFACTS_DIR, log_in
from cercles.discussions.tests.factories import start_thread
from cercles.meetings.tests.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_LOAD_BUDGET = 60 * 1024
REPEAT_LOAD_BUDGET = 15 * 1024
COMPRESSIBLE = (".css", ".js", ".svg", ".html", ".json", ".txt")
HEADERS = 300  # bytes of response headers per file, about


def static_size(path):
    found = finders.find(path.removeprefix("/static/"))
    if not found:
        return None
    content = Path(found).read_bytes()
    if path.endswith(COMPRESSIBLE):
        content = gzip.compress(content, compresslevel=9)
    return len(content) + HEADERS


def weigh(page, url):
    """(first load, repeat load, files) in bytes for one page."""
    page.goto(url)
    page.wait_for_load_state("load")
    html = page.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
    files = page.evaluate(
        "performance.getEntriesByType('resource').map(e => [e.name, e.transferSize])"
    )
    first, names = html, []
    for address, transferred in files:
        path = urlparse(address).path
        size = static_size(path) if path.startswith("/static/") else transferred
        first += size or transferred
        names.append(path)
    page.goto(url)
    page.wait_for_load_state("load")
    repeat = page.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
    return first, repeat, names


def test_page_weights_at_360_px_stay_within_budget(page):
    page.set_viewport_size({"width": 360, "height": 780})
    community = CommunityFactory(state=State.ACTIVE, title="Eau et assainissement au Sahel")
    member = add_member(community, Role.INNER, user=UserFactory(display_name="Awa Diallo")).user
    thread = start_thread(community, community.lead, title="Entretien des forages")
    meeting = MeetingFactory(community=community)
    draft = CommunityFactory(state=State.DRAFT, title="Agroécologie à Madagascar")
    services.submit_framing(draft.lead, draft)
    coordinator = CoordinatorFactory()

    anonymous = {
        "home (visitor)": "/",
        "log in": reverse("account_login"),
        "sign up": reverse("account_signup"),
    }
    as_member = {
        "home (member)": "/",
        "community home": community.get_absolute_url(),
        "discussion": thread.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "catalogue": reverse("communities:catalogue"),
        "directory": reverse("people:directory"),
        "notifications": reverse("notifications:list"),
        "own profile": member.get_absolute_url(),
    }
    as_coordinator = {"review": reverse("communities:review", args=[draft.slug])}

    weights = {}
    for name, url in anonymous.items():
        weights[name] = weigh(page, url)
    log_in(page, member.email, PASSWORD)
    for name, url in as_member.items():
        weights[name] = weigh(page, url)
    page.context.clear_cookies()
    log_in(page, coordinator.email, PASSWORD)
    for name, url in as_coordinator.items():
        weights[name] = weigh(page, url)

    ARTIFACTS_DIR.mkdir(exist_ok=True)
    report = {
        name: {"first_load_kb": round(first / 1024, 1), "repeat_load_kb": round(repeat / 1024, 1)}
        for name, (first, repeat, _files) in weights.items()
    }
    (ARTIFACTS_DIR / "page-weights.json").write_text(json.dumps(report, indent=2))
    too_heavy = {
        name: figures
        for name, figures in report.items()
        if figures["first_load_kb"] * 1024 > FIRST_LOAD_BUDGET
        or figures["repeat_load_kb"] * 1024 > REPEAT_LOAD_BUDGET
    }
    assert not too_heavy, f"Pages over budget (60 KB first, 15 KB repeat): {too_heavy}"
    # Every page is compressed: its HTML travels in less than it weighs.
    assert all(repeat > 0 for _first, repeat, _files in weights.values())
