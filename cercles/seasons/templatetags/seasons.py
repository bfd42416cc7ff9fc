from django import template

register = template.Library()


@register.filter
def objective_icon(status):
    return {"reached": "✓", "under_way": "◐", "dropped": "✕"}.get(status, "○")
