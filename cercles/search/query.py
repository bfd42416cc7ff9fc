"""One search over everything a person may read, whichever engine holds the index.

Matches are filtered by who may read them in the query itself, then the most recent
`CANDIDATES` matches are ranked: a common word does not make the database rank or count every
row that contains it (the count says "500+").

How the most recent matches are read is chosen here, from PostgreSQL's own estimate of how many
rows match (`read_plan`), because the planner's choice goes wrong both ways at scale: it reads a
word in 1 % of the rows in date order (50,000 rows read to find 500 at 1M rows) and a phrase of
common words from the text index (every row holding both words checked for their positions).
"""

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Value
from django.db.models.expressions import RawSQL

from . import engines, kinds
from . import text as t
from .models import SearchEntry
from .visibility import EVERYTHING, NOTHING, content_readers

CANDIDATES = 500
PER_PAGE = 20
SUGGESTIONS = 5
# ts_rank weights for D, C, B, A: titles first, then texts; words as written count a little.
RANK_WEIGHTS = [0.05, 0.2, 0.4, 1.0]
# bm25 weights of the FTS5 columns: title_fr, text_fr, title_en, text_en, title_raw, text_raw.
BM25_WEIGHTS = "10.0, 1.0, 10.0, 1.0, 2.0, 0.2"
# A phrase of common words is looked for in this many most recent documents (after the filters)
# at most: checking where its words stand costs a few microseconds a document, so checking every
# document that holds both words would take a second at 1M rows. The page says so and suggests a
# filter; a phrase whose words are rarer is looked for everywhere.
PHRASE_WINDOW = 5_000


class TsQuery(SearchQuery):
    """A tsquery written by engines.pg_tsquery from a parsed query (words only)."""

    def __init__(self, sql, params):
        super().__init__("")
        self.raw_sql, self.raw_params = sql, list(params)

    def get_source_expressions(self):
        return []

    def set_source_expressions(self, exprs):
        pass

    def as_sql(self, compiler, connection, **extra_context):
        return self.raw_sql, list(self.raw_params)


@dataclass
class Filters:
    kind: str = ""
    community: object = None
    theme: object = None
    territory: object = None
    date_from: object = None
    date_to: object = None

    def entry_filter(self, *, with_kind=True):
        from cercles.accounts.models import User
        from cercles.communities.models import Community

        q = Q()
        if with_kind and self.kind:
            q &= Q(kind=self.kind)
        if self.community is not None:
            q &= Q(community_id=self.community.pk)
        if self.theme is not None:
            q &= Q(
                community_id__in=Community.themes.through.objects.filter(
                    theme_id=self.theme.pk
                ).values("community_id")
            ) | Q(
                kind="person",
                object_id__in=User.themes.through.objects.filter(theme_id=self.theme.pk).values(
                    "user_id"
                ),
            )
        if self.territory is not None:
            q &= Q(
                community_id__in=Community.territories.through.objects.filter(
                    territory_id=self.territory.pk
                ).values("community_id")
            ) | Q(
                kind="person",
                object_id__in=User.objects.filter(
                    country__in=list(self.territory.countries or [])
                ).values("pk"),
            )
        if self.date_from:
            q &= Q(date__date__gte=self.date_from)
        if self.date_to:
            q &= Q(date__date__lte=self.date_to)
        return q


@dataclass
class Hit:
    entry: SearchEntry
    kind: kinds.SearchKind
    url: str
    excerpt: str  # with text.MARK_START / MARK_END around matches


@dataclass
class Results:
    query: t.Query
    hits: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [(kind, count)], count capped
    total: int = 0  # capped at CANDIDATES
    page_number: int = 1
    num_pages: int = 1
    # A phrase of common words was looked for in the PHRASE_WINDOW most recent documents only.
    phrase_windowed: bool = False

    @property
    def capped(self):
        return self.total >= CANDIDATES

    @property
    def has_previous(self):
        return self.page_number > 1

    @property
    def has_next(self):
        return self.page_number < self.num_pages


def visible(user, kind_keys=None):
    """Index rows the person may read, for the kinds asked (all by default)."""
    by_rule = defaultdict(list)
    for kind in kinds.all_kinds():
        if kind_keys is None or kind.key in kind_keys:
            by_rule[kind.visible].append(kind.key)
    q = NOTHING
    for rule, keys in by_rule.items():
        q |= Q(kind__in=keys) & rule(user)
    return q


def _matching(query):
    if engines.is_postgres():
        sql, params = engines.pg_tsquery(query)
        return Q(vector=TsQuery(sql, params))
    return Q(
        pk__in=RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [engines.fts_match(query)]
        )
    )


def _readable(user, filters, *, with_kind=True):
    return SearchEntry.objects.filter(visible(user), filters.entry_filter(with_kind=with_kind))


# --- How the most recent matches are read (PostgreSQL) ---------------------------------------

INDEX, DATE_ORDER, RECENT_WINDOW = "index", "date order", "recent window"
_table_rows = {"value": 0, "read_at": -1e9}


def _estimated_rows(sql, params=()):
    """PostgreSQL's estimate of a query's rows (from the statistics, nothing is read)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):  # psycopg returns json already decoded, but not every driver
        import json

        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


def _index_size():
    """Rows in the index, from the statistics, read again once a minute per process."""
    now = time.monotonic()
    if now - _table_rows["read_at"] > 60:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = 'search_searchentry'::regclass"
            )
            _table_rows["value"] = max(0, int(cursor.fetchone()[0]))
        _table_rows["read_at"] = now
    return _table_rows["value"]


def read_plan(query):
    """How to read the most recent matches of a query on PostgreSQL.

    - `INDEX`: from the text index, then sorted by date. Right when matches are few: reading in
      date order would walk about CANDIDATES × rows ÷ matches rows to find CANDIDATES matches,
      more than the matches themselves once matches < √(CANDIDATES × rows).
    - `DATE_ORDER`: newest first, each row checked, until CANDIDATES are found. Right for common
      words: 500 matches come within the first thousand rows.
    - `RECENT_WINDOW`: a phrase of common words, looked for in the PHRASE_WINDOW most recent
      documents. The statistics cannot tell how often the words stand side by side (they count a
      phrase as all its words), so the phrase's cost is bounded instead of guessed.
    """
    if not engines.is_postgres():
        return INDEX
    sql, params = engines.pg_tsquery(query)
    matches = _estimated_rows(f"SELECT 1 FROM search_searchentry WHERE vector @@ {sql}", params)
    if query.has_phrase:
        return INDEX if matches <= PHRASE_WINDOW else RECENT_WINDOW
    return INDEX if matches**2 < CANDIDATES * _index_size() else DATE_ORDER


def _most_recent(user, query, filters, *, plan, limit, fields=("pk", "kind"), with_kind=True):
    """The most recent `limit` matches the person may read, as rows of `fields`, read as the
    plan says; and whether a phrase was looked for in the recent window only."""
    readable = _readable(user, filters, with_kind=with_kind)
    if plan == RECENT_WINDOW and engines.is_postgres():
        # The newest documents the filters keep, read in date order without looking at their
        # words; then the phrase checked on those only. A LIMIT inside a derived table keeps
        # PostgreSQL from moving the phrase's condition into it.
        columns = ["pk", "date", "vector", *(f for f in fields if f != "pk")]
        window = readable.order_by("-date", "-pk").values(*columns)[:PHRASE_WINDOW]
        window_sql, window_params = window.query.sql_with_params()
        words_sql, words_params = engines.pg_tsquery(query)
        wanted = ", ".join(f'recent."{name}"' for name in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {wanted} FROM ({window_sql}) recent "
                f"WHERE recent.vector @@ {words_sql} "
                "ORDER BY recent.date DESC, recent.pk DESC LIMIT %s",
                [*window_params, *words_params, limit],
            )
            return [tuple(row) for row in cursor.fetchall()], True
    entries = readable.filter(_matching(query))
    if plan == INDEX and engines.is_postgres():
        # An order the date index cannot give: PostgreSQL reads the matches from the text index.
        entries = entries.order_by((F("date") + Value(timedelta(0))).desc(), "-pk")
    else:
        entries = entries.order_by("-date", "-pk")
    return list(entries.values_list(*fields)[:limit]), False


def _inside(user):
    """Whether a row is read as the community's content (else through the legacy page)."""
    rule = content_readers(user)
    if rule == EVERYTHING:
        return Value(True)
    return ExpressionWrapper(rule, output_field=BooleanField())


def _ranked_page_pg(user, query, ids, offset, limit):
    sql, params = engines.pg_tsquery(query)
    rows = (
        SearchEntry.objects.filter(pk__in=ids)
        .annotate(
            rank=SearchRank(F("vector"), TsQuery(sql, params), weights=RANK_WEIGHTS),
            inside=_inside(user),
        )
        .select_related("community")
        .defer("vector", "text")
        .order_by("-rank", "-date", "-pk")[offset : offset + limit]
    )
    rows = list(rows)
    if not rows:
        return rows
    french = " || ".join("plainto_tsquery('cercles_fr', %s)" for _ in query.positive_words)
    headline_query = TsQuery(f"({french})", query.positive_words) if query.positive_words else None
    texts = SearchEntry.objects.filter(pk__in=[r.pk for r in rows])
    if headline_query is None:
        texts = texts.annotate(headline=Value(""))
    else:
        texts = texts.annotate(
            headline=SearchHeadline(
                "text",
                headline_query,
                config="cercles_fr",
                start_sel=t.MARK_START,
                stop_sel=t.MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    found = {
        pk: (headline, text) for pk, headline, text in texts.values_list("pk", "headline", "text")
    }
    for row in rows:
        row.marked, row.plain = found.get(row.pk, ("", ""))
    return rows


def _ranked_page_sqlite(user, query, ids, offset, limit):
    if not ids:
        return []
    wanted = set(ids)
    with connection.cursor() as cursor:
        # Scored for every match, kept for the candidates only: "rowid IN (…)" would make FTS5
        # run the query once per id.
        cursor.execute(
            f"SELECT rowid, bm25(search_fts, {BM25_WEIGHTS}) FROM search_fts "
            "WHERE search_fts MATCH %s",
            [engines.fts_match(query)],
        )
        ranks = {rowid: rank for rowid, rank in cursor.fetchall() if rowid in wanted}
    recency = {pk: position for position, pk in enumerate(ids)}  # ids come most recent first
    # bm25 is better when lower; ties keep the most recent first.
    ordered = sorted(ids, key=lambda pk: (ranks.get(pk, 0.0), recency[pk]))
    page_ids = ordered[offset : offset + limit]
    rows = SearchEntry.objects.filter(pk__in=page_ids).annotate(inside=_inside(user))
    rows = rows.select_related("community").defer("vector")
    by_id = {row.pk: row for row in rows}
    result = [by_id[pk] for pk in page_ids if pk in by_id]
    for row in result:
        row.marked, row.plain = "", row.text
    return result


def _url(row):
    if row.legacy and not row.inside and row.community is not None:
        from django.urls import reverse

        return reverse("library:legacy", args=[row.community.slug])
    return row.url


def search(user, raw, filters=None, *, page=1, per_page=PER_PAGE, prefix=False):
    """The results a person may read for a typed query: a page of hits, and counts per kind."""
    filters = filters or Filters()
    query = t.parse(raw, last_word_prefix=prefix)
    results = Results(query=query)
    if not query:
        return results
    # One read of the most recent matches the person may read: counts per kind and the ids
    # to rank both come from it.
    plan = read_plan(query)
    window, results.phrase_windowed = _most_recent(
        user, query, filters, plan=plan, limit=CANDIDATES, with_kind=False
    )
    counts = Counter(kind for _pk, kind in window)
    if not filters.kind:
        ids = [pk for pk, _kind in window]
    elif len(window) < CANDIDATES:
        ids = [pk for pk, kind in window if kind == filters.kind]
    else:
        # The window is full: the kind asked for may have more matches beyond it.
        rows, _windowed = _most_recent(user, query, filters, plan=plan, limit=CANDIDATES)
        ids = [pk for pk, _kind in rows]
        counts[filters.kind] = len(ids)
    results.groups = [(k, counts[k.key]) for k in kinds.all_kinds() if counts.get(k.key)]
    results.total = len(ids)
    if not results.total:
        return results
    results.num_pages = max(1, math.ceil(results.total / per_page))
    try:
        number = int(page)
    except (TypeError, ValueError):
        number = 1
    results.page_number = min(max(1, number), results.num_pages)
    offset = (results.page_number - 1) * per_page
    candidates = ids
    ranked = _ranked_page_pg if engines.is_postgres() else _ranked_page_sqlite
    rows = ranked(user, query, candidates, offset, per_page)
    for row in rows:
        marked = row.marked if t.MARK_START in (row.marked or "") else ""
        if not marked:
            marked = t.excerpt(row.plain, query)
        results.hits.append(Hit(row, kinds.get(row.kind), _url(row), marked))
    return results


def suggest(user, raw, *, limit=SUGGESTIONS):
    """A few titles for the search box as the person types (the last word as a prefix)."""
    query = t.parse(raw, last_word_prefix=True)
    if not query:
        return []
    recent, _windowed = _most_recent(
        user, query, Filters(), plan=read_plan(query), limit=CANDIDATES, fields=("pk",)
    )
    if not recent:
        return []
    rows = SearchEntry.objects.filter(pk__in=[pk for (pk,) in recent])
    if engines.is_postgres():
        sql, params = engines.pg_tsquery(query)
        rows = rows.annotate(
            rank=SearchRank(F("vector"), TsQuery(sql, params), weights=RANK_WEIGHTS)
        ).order_by("-rank", "-date", "-pk")
    else:
        rows = rows.order_by("-date", "-pk")
    rows = rows.annotate(inside=_inside(user)).select_related("community")
    rows = rows.only("kind", "title", "url", "legacy", "community__slug", "community__title")
    return [Hit(row, kinds.get(row.kind), _url(row), "") for row in rows[:limit]]
