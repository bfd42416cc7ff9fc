from django import template

from cercles.communities.models import Visibility

from ..models import Item, Production

register = template.Library()

SHOWN = 10


@register.inclusion_tag("library/includes/community_shared_body.html", takes_context=True)
def community_shared_panel(context, community):
    """{% community_shared_panel community %}: on a private community's presentation, what it
    shares beyond its members (issue 11) that this person may read — and nothing else."""
    if community.visibility != Visibility.PRIVATE:
        return {"community": community, "items": [], "productions": []}
    user = context["user"]
    items = list(
        Item.objects.shared_with_reader(user)
        .filter(community=community)
        .order_by("-updated_at", "-id")[:SHOWN]
    )
    productions = list(
        Production.objects.shared_with_reader(user)
        .filter(community=community)
        .order_by("-updated_at", "-id")[:SHOWN]
    )
    for obj in (*items, *productions):
        obj.community = community
    return {"community": community, "items": items, "productions": productions}
