"""Markdown for everything people write: rendered by markdown-it-py, then sanitised by nh3.

Raw HTML in the source is escaped by the parser (html=False) and whatever survives is cleaned
again, so neither tags nor `javascript:`/`data:` links ever reach a page.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Return safe HTML for a person's Markdown text."""
    if not text:
        return mark_safe("")
    text = str(text)
    html = _rendered(text) if len(text) <= CACHED_TEXT_MAX else _clean_html(text)
    return mark_safe(html)  # noqa: S308 - cleaned by nh3 in _clean_html


# Long texts (a whole notebook page) are rendered each time so that the cache stays small.
CACHED_TEXT_MAX = 20_000


# The output depends on the text alone, so a per-process cache of recent texts is always right
# and needs no invalidation: a busy thread's page is read far more often than it is written.
@lru_cache(maxsize=4096)
def _rendered(text):
    return _clean_html(text)


def _clean_html(text):
    html = _parser.render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
    )
    return cleaned
