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


@register.filter
def iso_date(value):
    """A date kept as ISO text in a report's snapshot, back to a date for |date."""
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def get_review(forms, key):
    return forms.get(key)
