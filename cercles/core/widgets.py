"""Form widgets specific to Cercles' pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A select of a long list (250 countries, 400 time zones) written out in Python: the markup
    of Django's select, optgroups included, without rendering a template for each option (5 ms
    on every page that shows the list)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (choice, mark_safe(" selected") if str(choice) in chosen else "", label)
                    for choice, label in choices
                ),
            )

        parts = []
        for choice, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(
                    format_html('<optgroup label="{}">{}</optgroup>', choice, options(label))
                )
            else:
                parts.append(options([(choice, label)]))
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final_attrs), mark_safe("".join(parts))
        )
