from django import template

from ..text import marked_html

register = template.Library()


@register.filter
def highlighted(marked):
    """An excerpt with its matches in <mark>, the rest escaped."""
    return marked_html(marked or "")
