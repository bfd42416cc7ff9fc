"""What the other apps add to a member's home: "what needs me" and "what's new".

A member's home (cercles.home) leads with what waits for the person — invitations to answer,
meetings to RSVP, surveys, replies to read, tasks due — then what is new in their communities.
Each app adds its items once, from its AppConfig.ready():

    from cercles.home.registry import register_need, register_news

    register_need(
        "surveys",                                  # unique key (registering again replaces)
        "surveys/includes/member_panel_body.html",  # rendered with the page's context + yours
        context=need_context,                       # (request) -> dict | None
        order=20,                                   # smaller first
    )
    register_news("library", "library/includes/member_news.html", context=news_context)

A context function returning None (or an empty dict) leaves its item out: the page shows only
what has something to say, and an empty state when nothing needs the person. Each costs a
bounded, small number of queries whatever the number of communities (the page is kept at ≤ 12).
This module imports no app, so that any app may register here without depending on the home.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    key: str
    template: str
    context: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class ItemToRender:
    """Ready to render with {% render_panel %}: its template and its own context."""

    key: str
    template: str
    context: dict = field(default_factory=dict)


NEEDS: dict[str, Item] = {}
NEWS: dict[str, Item] = {}


def register_need(key, template, *, context=None, order=100):
    NEEDS[key] = Item(key, template, context, order)


def register_news(key, template, *, context=None, order=100):
    NEWS[key] = Item(key, template, context, order)


def _render_ready(registry, request):
    items = []
    for item in sorted(registry.values(), key=lambda i: (i.order, i.key)):
        context = {}
        if item.context is not None:
            context = item.context(request)
            if not context:
                continue
        items.append(ItemToRender(item.key, item.template, dict(context)))
    return items


def needs_for(request):
    """[ItemToRender] of what waits for the signed-in person, in order."""
    return _render_ready(NEEDS, request)


def news_for(request):
    """[ItemToRender] of what is new in the person's communities, in order."""
    return _render_ready(NEWS, request)
