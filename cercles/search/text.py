"""Words, queries and excerpts, the same for both engines.

A query is read into a small structure (words, "phrases", prefixes*, -exclusions, OR) rather than
handed to the database's own syntax: whatever a person types, the engines receive only words made
of letters and digits, so no input can raise a syntax error in either engine.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

MAX_QUERY_CHARS = 200
MAX_CLAUSES = 8
MAX_WORD_CHARS = 40

WORD = re.compile(r"\w+", re.UNICODE)
# Control characters that mark highlights in excerpts: never kept in indexed text.
MARK_START = "\x1e"
MARK_END = "\x1f"

# Very common words, dropped from queries on both engines (PostgreSQL's own configurations drop
# these too): a query made only of them finds nothing and says why.
STOP_WORDS = frozenset(
    """
    a au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me meme
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi
    ton tu un une vos votre vous c d j l m n s t y est sont ete etre avoir
    an and are as at be but by for if in into is it no not of on or such that the their then
    there these they this to was will with
    """.split()
)


def fold(text):
    """Lower case without accents: "Développement" → "developpement" (combining marks too)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stemmers():
    return snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def stems(word):
    """The French and the English stem of a folded word."""
    french, english = _stemmers()
    return french.stemWord(word), english.stemWord(word)


def words(text):
    return [fold(w) for w in WORD.findall(text or "")]


def clean_text(text):
    """Text as indexed: without the highlight markers (they would forge highlights)."""
    return (text or "").replace(MARK_START, " ").replace(MARK_END, " ")


@dataclass
class Clause:
    words: list  # folded words; several for a phrase
    prefix: bool = False
    negated: bool = False

    @property
    def is_phrase(self):
        return len(self.words) > 1


@dataclass
class Query:
    """What a person asked for: groups joined by OR, each a list of clauses joined by AND."""

    raw: str
    groups: list = field(default_factory=list)
    truncated: bool = False
    only_common_words: bool = False

    def __bool__(self):
        return any(any(not c.negated for c in group) for group in self.groups)

    @property
    def positive_words(self):
        return [w for group in self.groups for c in group if not c.negated for w in c.words]

    @property
    def has_phrase(self):
        return any(c.is_phrase and not c.negated for group in self.groups for c in group)

    @property
    def prefixes(self):
        return [c.words[-1] for group in self.groups for c in group if c.prefix and not c.negated]


TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')


def parse(raw, *, last_word_prefix=False):
    """Read a query typed by a person. Never raises: bad input gives an empty query."""
    raw = unicodedata.normalize("NFKC", raw or "")
    query = Query(raw=raw)
    if len(raw) > MAX_QUERY_CHARS:
        raw = raw[:MAX_QUERY_CHARS]
        query.truncated = True
    if raw.count('"') % 2:
        raw = raw.replace('"', " ")  # an unbalanced quote is read as a space
    group = []
    dropped = 0
    clauses = 0
    for match in TOKEN.finditer(raw):
        if match.group(2) is not None:
            negated, text, phrase = bool(match.group(1)), match.group(2), True
        else:
            negated, text, phrase = bool(match.group(3)), match.group(4), False
        if not phrase and text == "OR":
            if group:
                query.groups.append(group)
                group = []
            continue
        if clauses >= MAX_CLAUSES:
            query.truncated = True
            break
        prefix = not phrase and text.endswith("*")
        found = [w[:MAX_WORD_CHARS] for w in words(text)]
        if not found:
            continue
        if phrase:
            clause = Clause(found, negated=negated)
            group.append(clause)
            clauses += 1
            continue
        # "l'eau", "co-développement": one typed token may hold several words.
        kept = [w for w in found if w not in STOP_WORDS or prefix]
        dropped += len(found) - len(kept)
        for position, word in enumerate(kept):
            is_last = position == len(kept) - 1
            group.append(Clause([word], prefix=prefix and is_last, negated=negated))
            clauses += 1
    if group:
        query.groups.append(group)
    if last_word_prefix and query.groups:
        last = query.groups[-1][-1]
        if not last.is_phrase and not last.negated and len(last.words[0]) >= 2:
            last.prefix = True
    query.groups = [g for g in query.groups if any(not c.negated for c in g)]
    query.only_common_words = not query and dropped > 0
    return query


def matches(query):
    """A predicate telling whether a word of a document matches the query (for excerpts)."""
    exact = set()
    prefixes = []
    for group in query.groups:
        for clause in group:
            if clause.negated:
                continue
            for position, word in enumerate(clause.words):
                if clause.prefix and position == len(clause.words) - 1:
                    prefixes.append(word)
                else:
                    exact.update(stems(word))

    def test(word):
        folded = fold(word)
        if any(folded.startswith(p) for p in prefixes):
            return True
        french, english = stems(folded)
        return french in exact or english in exact

    return test


def excerpt(text, query, *, length=220):
    """A piece of the text around the first matching word, matches between the markers."""
    text = text or ""
    test = matches(query)
    found = [m for m in WORD.finditer(text) if test(m.group())]
    if not found:
        piece = text[:length]
        return piece + ("…" if len(text) > length else "")
    first = found[0].start()
    start = max(0, first - length // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + length)
    pieces = []
    cursor = start
    for m in found:
        if m.start() < start or m.end() > end:
            continue
        pieces.append(text[cursor : m.start()])
        pieces.append(MARK_START + m.group() + MARK_END)
        cursor = m.end()
    pieces.append(text[cursor:end])
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else "")


def marked_html(marked):
    """Escape an excerpt and turn its markers into <mark>: safe to show as HTML."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    escaped = escape(marked)
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


MARKDOWN_NOISE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|~]+|<[^>]{0,200}>")


def plain(text):
    """Markdown as words: links keep their text, markup characters go."""
    return clean_text(MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", text or ""))
