"""The two search engines behind one interface.

- PostgreSQL: `search_searchentry.vector`, a tsvector kept by a trigger from the title (weight A)
  and the text (weight B), stemmed twice, with the `cercles_fr` and `cercles_en` configurations
  (French and English snowball stemmers after `unaccent`) and the words as written
  (`cercles_simple`, for prefixes); a GIN index; `ts_rank` and
  `ts_headline`.
- SQLite: an FTS5 table `search_fts` (tokenizer `unicode61 remove_diacritics 2`) holding the
  French stems, the English stems and the words as written of each entry (prefixes match the
  latter), written beside each entry; bm25 ranking and excerpts made in Python.

Both receive a parsed query (text.parse), never the typed text: only words reach the engine.
"""

from django.db import connection

from . import text as t

WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"


def is_postgres():
    return connection.vendor == "postgresql"


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_clause(clause, config):
    if clause.is_phrase:
        sql, params = f"phraseto_tsquery('{config}', %s)", [" ".join(clause.words)]
    elif clause.prefix:
        # Prefixes match the words as written (accents folded), not their stems: "formatio*"
        # must find "formation", whose stem is "format". Only letters and digits reach
        # to_tsquery: its syntax characters cannot appear.
        sql, params = "to_tsquery('cercles_simple', %s)", [f"{clause.words[0]}:*"]
    else:
        sql, params = f"plainto_tsquery('{config}', %s)", [clause.words[0]]
    if clause.negated:
        sql = f"(!! {sql})"
    return sql, params


def pg_tsquery(query):
    """The query as one SQL tsquery expression (French OR English stems) and its parameters."""
    alternatives, params = [], []
    for config in ("cercles_fr", "cercles_en"):
        for group in query.groups:
            parts = []
            for clause in group:
                sql, clause_params = _pg_clause(clause, config)
                parts.append(sql)
                params += clause_params
            alternatives.append("(" + " && ".join(parts) + ")")
    return "(" + " || ".join(alternatives) + ")", params


# --- SQLite -----------------------------------------------------------------------------------


def stemmed(text):
    """A text's words for FTS5: their French stems, their English stems, and as written."""
    french, english, raw = [], [], []
    for word in t.words(text):
        fr, en = t.stems(word)
        french.append(fr)
        english.append(en)
        raw.append(word)
    return " ".join(french), " ".join(english), " ".join(raw)


def _fts_clause(clause, language):
    if clause.prefix:
        return "{title_raw text_raw} : " + f'"{clause.words[0]}"*'
    index = 0 if language == "fr" else 1
    stems = " ".join(t.stems(w)[index] for w in clause.words)
    return f"{{title_{language} text_{language}}} : " + f'"{stems}"'


def fts_match(query):
    """The query in FTS5's syntax: every token quoted, made only of letters and digits."""
    alternatives = []
    for language in ("fr", "en"):
        for group in query.groups:
            positive = [_fts_clause(c, language) for c in group if not c.negated]
            negative = [_fts_clause(c, language) for c in group if c.negated]
            expression = " AND ".join(f"({p})" for p in positive)
            if negative:
                expression = f"({expression}) NOT ({' OR '.join(f'({n})' for n in negative)})"
            alternatives.append(f"({expression})")
    return " OR ".join(alternatives)


def write_fts(entries):
    """Write the FTS rows of entries (SQLite only; PostgreSQL's trigger does it there)."""
    if is_postgres() or not entries:
        return
    rows = []
    for entry in entries:
        title = stemmed(entry.title)
        body = stemmed(entry.text)
        rows.append((entry.pk, title[0], body[0], title[1], body[1], title[2], body[2]))
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany(
            "INSERT INTO search_fts "
            "(rowid, title_fr, text_fr, title_en, text_en, title_raw, text_raw) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )


def delete_fts(ids):
    if is_postgres() or not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])
