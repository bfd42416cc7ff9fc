from django import template

from .. import home

register = template.Library()


@register.inclusion_tag("seasons/includes/community_panel_body.html", takes_context=True)
def community_season_panel(context, community):
    """{% community_season_panel community %}: the current season, the time left, the latest
    health review, and the lead's ways to the season, health and closing pages."""
    return {**home.community_panel(context["user"], community), "request": context.get("request")}


@register.filter
def objective_icon(status):
    return {"reached": "✓", "under_way": "◐", "dropped": "✕"}.get(status, "○")
