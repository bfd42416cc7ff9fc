from django import template

from .. import home

register = template.Library()


@register.inclusion_tag("reporting/includes/stage_panel_body.html", takes_context=True)
def community_stage_panel(context, community):
    """{% community_stage_panel community %}: the stage of life and its reason."""
    return {**home.stage_panel(context["user"], community), "request": context.get("request")}


@register.inclusion_tag("reporting/includes/stories_panel_body.html", takes_context=True)
def community_stories_panel(context, community):
    """{% community_stories_panel community %}: featured value-creation stories."""
    return {**home.stories_panel(context["user"], community), "request": context.get("request")}
