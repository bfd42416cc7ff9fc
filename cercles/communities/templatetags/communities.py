from django import template

from cercles.communities.sections import sections_for

register = template.Library()


@register.inclusion_tag("communities/includes/sections_nav.html", takes_context=True)
def community_sections(context, community, current=""):
    """The community's navigation: one link per part the person may open."""
    request = context["request"]
    return {
        "community": community,
        "links": sections_for(request.user, community),
        "current": current,
    }


@register.inclusion_tag("communities/includes/recruiting_panel_body.html", takes_context=True)
def joined_through_panel(context, community):
    """{% joined_through_panel community %}: who joined through whom, and for the leads and the
    coordinators the way to the key people to approach (issue 11)."""
    from ..freshness import remembered
    from ..models import KeyPersonStatus
    from ..recruiting import joined_through

    def recruiting():
        rows = joined_through(community)
        relays = set()
        if rows:
            relays_of = community.memberships.active().filter(is_relay=True)
            relays = set(relays_of.values_list("user_id", flat=True))
        to_contact = community.key_people.filter(status=KeyPersonStatus.TO_CONTACT).count()
        return rows, relays, to_contact

    user = context["user"]
    can_view_key_people = user.has_perm("communities.view_key_people", community)
    rows, relays, to_contact = remembered(community, "recruiting", recruiting)
    return {
        "community": community,
        "rows": rows,
        "relays": relays,
        "can_view_key_people": can_view_key_people,
        "to_contact": to_contact if can_view_key_people else 0,
    }
