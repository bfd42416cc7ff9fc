"""Scoped look-ups: an item or production of another community, or one the person may not
read, answers 404 like a missing one."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from cercles.communities.lookups import community_for
from cercles.communities.models import Community

from .models import Item, Production


def item_for(request, slug, item_id, *, kind=None, shared=False):
    """An item of a community whose content the person reads; with `shared`, also an item shared
    with them from a community they cannot read (its page and file only, never its history)."""
    if not shared:
        community = community_for(request, slug, content=True)
    else:
        community = get_object_or_404(Community.objects.select_related("lead"), slug=slug)
    items = Item.objects.select_related("author").filter(community=community)
    if kind:
        items = items.filter(kind=kind)
    item = get_object_or_404(items, pk=item_id)
    item.community = community
    if shared and not request.user.has_perm("library.view_item", item):
        raise Http404
    return item


def community_with_productions(request, slug):
    """The community if the person may see its productions (visitors: public ones only)."""
    community = get_object_or_404(
        Community.objects.select_related("lead").visible_to(request.user), slug=slug
    )
    if not request.user.has_perm("library.view_productions", community):
        raise Http404
    return community


def production_for(request, slug, production_id):
    """A production the person may read: through its community, or shared with them (issue 11)
    from a private community whose other content they cannot see."""
    community = get_object_or_404(Community.objects.select_related("lead"), slug=slug)
    production = get_object_or_404(
        Production.objects.select_related("author"), community=community, pk=production_id
    )
    production.community = community
    if not request.user.has_perm("library.view_production", production):
        raise Http404
    return production
