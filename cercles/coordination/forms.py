from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CHARS = 5000
MARKDOWN_HELP = _("Markdown is allowed.")


def _part(label, help_text=MARKDOWN_HELP):
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProgressUpdateForm(forms.Form):
    done = _part(_("What was done"))
    next_steps = _part(_("Next steps"))
    blockers = _part(_("Blockers"))
    help_needed = _part(
        _("Help needed"),
        _("Markdown is allowed. If you write something here, the network's coordinators are told."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not any(value.strip() for value in data.values()):
            raise forms.ValidationError(_("Write at least one part of the update."))
        return data
