"""Search at network scale: time of one search (the page's queries, in-process) for common and
rare words, against the raw full-text query on the same index, with the query plans.

Run by `make bench` for each scale (bench/run.py), or alone on a scale's database:

    DATABASE_URL=postgres://…/cercles_bench_m .venv/bin/python bench/search.py M

Words: the generator's vocabulary is common (each word is in most posts); bench/generate_more.py
puts "piézomètre" in 1 % of the posts and "hydrogéologie" in 0.01 %.
"""

import os
import statistics
import sys
import time
from pathlib import Path

QUERIES = [
    ("common word", "forage"),
    ("two common words", "gestion comité"),
    ("common phrase", '"comité gestion"'),
    ("1 % of posts", "piézomètre"),
    ("0.01 % of posts (accents left out)", "hydrogeologie"),
    ("prefix", "hydrog*"),
]
REPS = int(os.environ.get("BENCH_SEARCH_REPS", "30"))


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(function, reps=REPS, warm=3):
    for _ in range(warm):
        function()
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(times), "p95": percentile(times, 0.95)}


def raw_queries(query):
    """The raw full-text query of the same words, without permissions or capping: its 20 best
    ranked matches (it ranks every match), and its first 20 matches unranked (the floor)."""
    from django.db import connection

    from cercles.search import engines

    if connection.vendor == "postgresql":
        sql, params = engines.pg_tsquery(query)
        ranked = (
            f"SELECT id FROM search_searchentry WHERE vector @@ {sql} "
            f"ORDER BY ts_rank(vector, {sql}) DESC LIMIT 20",
            params + params,
        )
        first = (f"SELECT id FROM search_searchentry WHERE vector @@ {sql} LIMIT 20", params)
    else:
        match = engines.fts_match(query)
        ranked = (
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20",
            [match],
        )
        first = ("SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT 20", [match])
    return ranked, first


def run_sql(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def plans(function):
    """EXPLAIN ANALYZE of every SELECT the function runs (PostgreSQL): time and plan text."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    explained = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) " + query["sql"])
            lines = [row[0] for row in cursor.fetchall()]
            explained.append({"sql": query["sql"][:160], "plan": lines})
    return explained


def page(client, words):
    # The bench asks from one address, faster than the per-person limit against abuse allows.
    from django.test import override_settings

    with override_settings(RATE_LIMITS={}):
        return client.get("/search/", {"q": words})


def measure_search(scale):
    """Figures for one scale, on the database Django is set up with."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client

    from bench.pages import session_for
    from cercles.accounts.models import User
    from cercles.search import text
    from cercles.search.models import SearchEntry
    from cercles.search.query import read_plan, search

    member = User.objects.get(username="bench-100")
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_for(member)
    rows = []
    for name, words in QUERIES:
        query = text.parse(words)
        ranked, first = raw_queries(query)
        result = search(member, words)
        row = {
            "name": name,
            "q": words,
            "results": result.total,
            "plan": read_plan(query) + (" (phrase in the recent window)" * result.phrase_windowed),
            "capped": result.capped,
            "search": timed(lambda w=words: search(member, w)),
            "visitor": timed(lambda w=words: search(AnonymousUser(), w), reps=10),
            "raw_ranked": timed(lambda s=ranked: run_sql(*s)),
            "raw_first": timed(lambda s=first: run_sql(*s)),
            "page": timed(lambda w=words: page(client, w), reps=15),
        }
        if connection.vendor == "postgresql" and name in (
            "common word",
            "0.01 % of posts (accents left out)",
        ):
            row["plans"] = plans(lambda w=words: search(member, w))
        rows.append(row)
    return {
        "entries": SearchEntry.objects.count(),
        "vendor": connection.vendor,
        "queries": rows,
        "load": os.getloadavg(),
    }


def search_lines(scales):
    """RESULTS.md's section on search, one table per scale measured."""
    measured = [(scale, data["search"]) for scale, data in scales.items() if "search" in data]
    if not measured:
        return []
    lines = [
        "## Search",
        "",
        "One search as a member (`search()`: counts per kind, the ranked page, the excerpts; 30 "
        "runs after 3 to warm up, in-process), the same as a visitor, the whole page "
        "(`/search/?q=`, in-process test client), and the raw full-text query of the same words on "
        "the same index without permissions: its 20 best ranked matches (it ranks every match) and "
        "its first 20 matches unranked. Milliseconds.",
        "",
    ]
    for scale, data in measured:
        load = ", ".join(f"{v:.1f}" for v in data.get("load", []))
        lines += [
            f"### Scale {scale} ({data['vendor']}, {data['entries']} index rows; load average "
            f"at the end: {load})",
            "",
            "| words | read | results | search p50 | search p95 | visitor p95 | page p95 "
            "| raw ranked p95 | raw first 20 p95 | search ÷ raw ranked |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in data["queries"]:
            ratio = row["search"]["p95"] / max(row["raw_ranked"]["p95"], 0.001)
            results = f"{row['results']}{'+' if row['capped'] else ''}"
            lines.append(
                f"| {row['name']} (`{row['q']}`) | {row.get('plan', '')} | {results} "
                f"| {row['search']['p50']:.1f} "
                f"| {row['search']['p95']:.1f} | {row['visitor']['p95']:.1f} "
                f"| {row['page']['p95']:.1f} | {row['raw_ranked']['p95']:.1f} "
                f"| {row['raw_first']['p95']:.1f} | {ratio:.2f} |"
            )
        lines.append("")
        for row in data["queries"]:
            for number, plan in enumerate(row.get("plans", []), start=1):
                lines += [
                    f"Plan of query {number} of the search for {row['name']} (`{row['q']}`), "
                    f"scale {scale}: `{plan['sql']}…`",
                    "",
                    "```",
                    *plan["plan"],
                    "```",
                    "",
                ]
    return lines


def main():
    scale = sys.argv[1] if len(sys.argv) > 1 else "M"
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import json

    result = measure_search(scale)
    output = root / "var" / "bench" / f"search-{scale}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result))
    print("\n".join(search_lines({scale: {"search": result}})))


if __name__ == "__main__":
    main()
