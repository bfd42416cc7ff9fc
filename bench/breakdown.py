"""Where a page's time goes, in-process: database, templates, and the rest (middleware,
session, permissions, view code). For the notes of bench/NOTES.md, not for the budgets.

Usage, on the benchmark database as bench/run.py leaves it (same environment variables):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cercles_bench_m \
    REDIS_URL=redis://127.0.0.1:6379/11 DEBUG=false BENCH_BARE_VIEW=true \
        .venv/bin/python bench/breakdown.py [page name ...]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import base as template_base  # noqa: E402
from django.test import Client  # noqa: E402

from bench.pages import pages_and_sessions  # noqa: E402  (sets Django up)

REPEAT = 40


class Clock:
    """Time spent in queries and in template rendering (outermost template only)."""

    def __init__(self):
        self.database = self.templates = self.database_in_templates = 0.0
        self._depth = 0

    def query(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.database += spent
            if self._depth:  # a lazy queryset read by a template: database time, not template
                self.database_in_templates += spent

    def wrap_templates(self):
        render = template_base.Template.render
        clock = self

        def timed(template, context):
            clock._depth += 1
            started = time.perf_counter()
            try:
                return render(template, context)
            finally:
                clock._depth -= 1
                if clock._depth == 0:
                    clock.templates += time.perf_counter() - started

        template_base.Template.render = timed


def breakdown(path, cookie, clock):
    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    for _ in range(5):
        client.get(path)
    clock.database = clock.templates = clock.database_in_templates = 0.0
    started = time.perf_counter()
    with connection.execute_wrapper(clock.query):
        for _ in range(REPEAT):
            client.get(path)
    total = (time.perf_counter() - started) / REPEAT * 1000
    database = clock.database / REPEAT * 1000
    templates = (clock.templates - clock.database_in_templates) / REPEAT * 1000
    return total, database, templates


def main(names):
    clock = Clock()
    clock.wrap_templates()
    pages, cookies = pages_and_sessions()
    pages = [
        {"name": "bare view", "path": "/bench/bare", "who": "visitor"},
        # The same view through a signed-in member's session: the cost of reading the session,
        # the person and what the middleware checks of them, before any page of the app.
        {"name": "bare view, signed in", "path": "/bench/bare", "who": "member"},
        *pages,
    ]
    print("| page | total ms | database ms | templates ms | rest ms |\n|---|---:|---:|---:|---:|")
    for page in pages:
        if names and page["name"] not in names:
            continue
        total, database, templates = breakdown(page["path"], cookies.get(page["who"]), clock)
        rest = total - database - templates
        print(f"| {page['name']} | {total:.1f} | {database:.1f} | {templates:.1f} | {rest:.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
