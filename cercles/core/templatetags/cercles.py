from django import template
from django.utils.http import urlencode

from cercles.core.markdown import render_markdown
from cercles.core.timezones import zone_label
from cercles.core.words import ago, elide

register = template.Library()


@register.filter(name="zone_label")
def zone_label_filter(name):
    """ "Africa/Bamako" → "Bamako (UTC+0)"."""
    return zone_label(name) if name else ""


@register.filter(name="elide", is_safe=True)
def elide_filter(text):
    """French elision in a phrase built around a name: "Membres de Eau…" → "Membres d’Eau…"."""
    return elide(text)


@register.filter(name="ago", expects_localtime=False)
def ago_filter(value):
    """ "à l’instant" under a minute, then "il y a 5 minutes", "hier"…"""
    return ago(value)


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination keeps filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(sorted(params.lists()), doseq=True) if params else "?"


@register.inclusion_tag("includes/field.html")
def form_field(field, described_by=""):
    """One form field with its label, help and errors, linked for screen readers.

    `described_by`: ids of more text about the field shown beside it (a reviewer's comment).
    """
    widget = field.field.widget
    described_by = described_by.split()
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    input_type = getattr(widget, "input_type", "")
    is_group = (
        input_type == "radio"
        or getattr(widget, "allow_multiple_selected", False)
        and (input_type == "checkbox")
    )
    return {
        "field": field,
        "described_by": " ".join(described_by),
        "widget_html": field.as_widget(attrs=attrs),
        "is_group": is_group,
        "is_checkbox": input_type == "checkbox" and not is_group,
    }


@register.simple_tag(takes_context=True)
def render_panel(context, item):
    """{% render_panel item %}: a registered panel (anything with `template` and `context`),
    rendered like an {% include %}: the page's context plus the panel's own."""
    template_ = context.template.engine.get_template(item.template)
    with context.push(item.context):
        return template_.render(context)
