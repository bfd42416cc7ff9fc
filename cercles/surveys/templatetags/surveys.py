from django import template

from .. import home

register = template.Library()


@register.inclusion_tag("surveys/includes/community_panel_body.html", takes_context=True)
def community_survey_panel(context, community):
    """{% community_survey_panel community %}: waiting surveys and the lead's new needs."""
    return {
        **home.community_panel(context["user"], community),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("surveys/includes/member_panel_body.html", takes_context=True)
def member_survey_panel(context):
    """{% member_survey_panel %}: the surveys of my communities waiting for my answer."""
    return {**home.member_panel(context["user"]), "request": context.get("request")}


@register.filter
def percent(share):
    """0.756 → "76 %" (a non-breaking space, as French writes it)."""
    if share is None or share == "":
        return ""
    return f"{round(float(share) * 100)}\u00a0%"


@register.filter
def share_of(shares, key):
    return shares.get(key) if shares else None
