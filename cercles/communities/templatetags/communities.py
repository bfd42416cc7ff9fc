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
    from ..models import KeyPersonStatus
    from ..recruiting import joined_through

    user = context["user"]
    can_view_key_people = user.has_perm("communities.view_key_people", community)
    rows = joined_through(community)
    return {
        "community": community,
        "rows": rows,
        "relays": set(
            community.memberships.active().filter(is_relay=True).values_list("user_id", flat=True)
        )
        if rows
        else set(),
        "can_view_key_people": can_view_key_people,
        "to_contact": community.key_people.filter(status=KeyPersonStatus.TO_CONTACT).count()
        if can_view_key_people
        else 0,
    }
