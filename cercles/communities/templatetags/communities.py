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
