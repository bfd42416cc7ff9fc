"""Issue 20's trial of a faster template engine: the content of the two pages whose templates
cost the most (the coordinators' dashboard, every community; the members of the largest
community, as its lead) rendered from the same context by Django's templates and by Jinja2.

The layout around the content is left out of both (it is the same for every page). The Django
side is the pages' own content blocks, read from their templates; the Jinja2 side is their
line-by-line ports beside this file. Run on a benchmark database, with the environment of
bench/run.py:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cercles_bench_m \
    REDIS_URL=redis://127.0.0.1:6379/11 DEBUG=false BENCH_BARE_VIEW=true \
        .venv/bin/python bench/jinja_trial/run.py

Needs jinja2 (`.venv/bin/pip install jinja2==3.1.6`): the app itself does not use it.
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.pages import pages_and_sessions  # noqa: E402  (sets Django up)

REPEAT = int(os.environ.get("TRIAL_REPEAT", "40"))
ROOT = HERE.parent.parent
# page → (its template, the Jinja2 port of its content block)
PAGES = {
    "members (largest)": (
        "cercles/communities/templates/communities/membership_list.html",
        "members.j2.html",
    ),
    "coordination dashboard (every community)": (
        "cercles/coordination/templates/coordination/dashboard.html",
        "dashboard.j2.html",
    ),
}
# Left out of both: the layout, and includes that are the same on every page.
LEFT_OUT = [
    r'\{% include "communities/includes/community_header.html"[^%]*%\}',
    r'\{% include "includes/pagination.html" %\}',
    r'\{% include "includes/form_fields.html" %\}',
    r'\{% translate "Members" as page_title %\}',
]


def content_block(path):
    """The page's own template, less its layout: the content block and the libraries it loads."""
    source = (ROOT / path).read_text()
    loads = "".join(re.findall(r"\{% load [^%]*%\}", source))
    block = source[source.index("{% block content %}") + len("{% block content %}") :]
    block = block[: block.rindex("{% endblock %}")]
    for pattern in LEFT_OUT:
        block = re.sub(pattern, "", block)
    return loads + block


def jinja_environment():
    from django.template.defaultfilters import linebreaksbr, truncatewords
    from django.urls import reverse
    from django.utils import formats
    from django.utils.timezone import template_localtime
    from django.utils.translation import gettext, ngettext
    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup

    from cercles.core.words import elide

    environment = Environment(
        loader=FileSystemLoader(HERE), autoescape=True, extensions=["jinja2.ext.i18n"]
    )
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)
    environment.globals["url"] = lambda name, *args: reverse(name, args=args)
    environment.filters["elide"] = lambda text: Markup(elide(str(text)))
    environment.filters["truncatewords"] = truncatewords
    environment.filters["linebreaksbr"] = lambda text: Markup(linebreaksbr(text, autoescape=True))
    environment.filters["date"] = lambda value, fmt: formats.date_format(
        template_localtime(value), fmt
    )
    return environment


def context_of(path, cookie):
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = client.get(path)
    assert response.status_code == 200, path
    context = {key: response.context[key] for key in response.context.keys()}  # noqa: SIM118 - a ContextList
    return context, response.wsgi_request


def timed(render):
    for _ in range(5):
        render()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def words(html):
    """The page's text and tags without the spacing, to check both engines say the same."""
    return re.sub(r"\s+", "", re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html))


def main():
    from django.middleware.csrf import get_token
    from django.template import engines
    from markupsafe import Markup

    setup_test_environment()  # the test client keeps the context each page was rendered with
    pages, cookies = pages_and_sessions()
    environment = jinja_environment()
    rows = []
    for page in pages:
        if page["name"] not in PAGES:
            continue
        template_path, port = PAGES[page["name"]]
        context, request = context_of(page["path"], cookies[page["who"]])
        django_template = engines["django"].from_string(content_block(template_path))
        jinja_template = environment.get_template(port)
        token = get_token(request)
        jinja_context = {
            **context,
            "csrf_input": Markup(
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            ),
        }
        django_html = django_template.render(context, request)
        jinja_html = jinja_template.render(jinja_context)
        same = words(django_html) == words(jinja_html)
        django_ms = timed(lambda t=django_template, c=context, r=request: t.render(c, r))
        jinja_ms = timed(lambda t=jinja_template, c=jinja_context: t.render(c))
        rows.append((page["name"], django_ms, jinja_ms, len(django_html), same))
    print("| page (content block only) | Django templates ms | Jinja2 ms | ratio | bytes "
          "| same output |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---|")
    for name, django_ms, jinja_ms, size, same in rows:
        print(f"| {name} | {django_ms:.1f} | {jinja_ms:.1f} | {django_ms / jinja_ms:.1f}× "
              f"| {size} | {'yes' if same else 'NO'} |")  # fmt: skip


if __name__ == "__main__":
    main()
