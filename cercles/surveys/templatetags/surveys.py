from django import template

register = template.Library()


@register.filter
def percent(share):
    """0.756 → "76 %" (a non-breaking space, as French writes it)."""
    if share is None or share == "":
        return ""
    return f"{round(float(share) * 100)}\u00a0%"


@register.filter
def share_of(shares, key):
    return shares.get(key) if shares else None
