"""Browser-test harness: a real Chromium driven by Playwright against pytest-django's live server.

Loaded as a pytest plugin from the root conftest, so every app's browser tests get the `page`
fixture. Pages are opened with `visit()` or inside `with navigates(page):`, which both run axe-core
on the page that arrives, so accessibility is checked on every page a test walks through.
"""

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
AXE_SOURCE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium_browser():
    """One Chromium per test process (each xdist worker gets its own)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would otherwise refuse
    # the ORM calls the tests make around the browser.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def page(request, chromium_browser, live_server):
    """A fresh French-speaking browser tab (no cookies) whose relative URLs hit the live server."""
    context = chromium_browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.csp_violations = []
    tab.on("console", lambda message: _record_csp_violation(tab, message))
    yield tab
    if getattr(request.node, "call_failed", False):
        # What the browser showed when the test failed.
        screenshot(tab, f"FAILED-{request.node.name}")
    context.close()


def _record_csp_violation(tab, message):
    if "Content Security Policy" in message.text:
        tab.csp_violations.append(message.text)


def visit(page, url, *, status=200):
    """Open `url` (relative to the live server), check its status and its accessibility."""
    response = page.goto(url)
    assert response is not None, f"No response for {url}"
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    check_page(page)
    return response


@contextmanager
def navigates(page):
    """Wrap an action that loads a new page (a link, a form): the new page is then checked.

    with navigates(page):
        page.get_by_role("button", name="Save").click()
    """
    with page.expect_navigation():
        yield
    page.wait_for_load_state()
    check_page(page)


def check_page(page):
    """Everything checked on each page a browser test reaches."""
    check_accessibility(page)
    assert not page.csp_violations, "Content-Security-Policy violations:\n" + "\n".join(
        page.csp_violations
    )


_axe_source = None


def check_accessibility(page):
    """Run axe-core in the page and fail on any serious or critical violation."""
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_SOURCE.read_text(encoding="utf-8")
    # Evaluated rather than injected as a <script>: the strict CSP forbids inline scripts.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source)
    results = page.evaluate("async () => await axe.run(document)")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"Accessibility violations on {page.url}:\n" + _describe(blocking)


def _describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(node['target'])}: {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            for detail in summary.splitlines()[1:3]:
                lines.append(f"      {detail.strip()}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def screenshot(page, name):
    """Save a full-page PNG as test-artifacts/<name>.png and return its path."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_no_horizontal_scroll(page):
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    if scroll_width > width:
        screenshot(page, "overflow-" + re.sub(r"\W+", "-", page.url.split("//", 1)[-1]))
        culprits = page.evaluate(_OVERFLOWING_ELEMENTS, width)
        pytest.fail(
            f"{page.url} scrolls sideways at {width} px: the page is {scroll_width} px wide. "
            "Elements past the right edge:\n" + "\n".join(culprits)
        )


_OVERFLOWING_ELEMENTS = """width => [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .slice(0, 10)
    .map(el => `  ${el.outerHTML.slice(0, 100)} ends at `
               + `${Math.round(el.getBoundingClientRect().right)} px`)"""


def log_in(page, email, password):
    """Log in through the login form, as a person would."""
    visit(page, "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with navigates(page):
        page.locator("form[action='/accounts/login/'] [type=submit]").click()
