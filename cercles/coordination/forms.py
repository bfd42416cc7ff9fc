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


class NewsletterCreateForm(forms.Form):
    period_start = forms.DateField(
        label=_("News from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("to"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period comes after its start."))
        return data


class NewsletterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown. Every copy adds, after this text, a part of its own for each reader: "
            "the next steps of their communities, their meetings, communities recommended "
            "for them."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Only people interested in these themes"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Only people of these territories"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label=_("Only people with these roles"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from cercles.taxonomy.models import Territory, Theme

        from .models import SegmentRole

        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["territories"].queryset = Territory.objects.all()
        self.fields["roles"].choices = SegmentRole.choices

    def clean_body(self):
        from .newsletter import problems_of

        body = self.cleaned_data["body"]
        problems = problems_of(body)
        if problems:
            raise forms.ValidationError(problems)
        return body


class NewsletterImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("JPEG or PNG; made lighter automatically (at most 100 KB in the email)."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label=_("What the image shows"),
        max_length=200,
        help_text=_("Read out to people who cannot see it, and shown when images are off."),
    )

    def clean_image(self):
        from django.conf import settings

        image = self.cleaned_data["image"]
        if image.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large."))
        return image


# --- Follow-up (issue 14) ------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's filters and order, read from the query string; a value that is not one
    of the choices is reported and ignored."""

    state = forms.ChoiceField(label=_("State"), required=False)
    theme = forms.ModelChoiceField(label=_("Theme"), required=False, queryset=None)
    territory = forms.ModelChoiceField(label=_("Territory"), required=False, queryset=None)
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs):
        from cercles.communities.lifecycle import State
        from cercles.taxonomy.models import Territory, Theme

        from . import dashboard
        from .figures import FOLLOWED_STATES

        super().__init__(*args, **kwargs)
        labels = dict(State.choices)
        self.fields["state"].choices = [("", _("Every state followed"))] + [
            (s, labels[s]) for s in FOLLOWED_STATES
        ]
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["theme"].empty_label = _("All themes")
        self.fields["territory"].queryset = Territory.objects.all()
        self.fields["territory"].empty_label = _("All territories")
        self.fields["flag"].choices = [("", _("Any")), ("any", _("At least one flag"))] + [
            (f.code, f.label) for f in dashboard.flags()
        ]
        sort_choices = [("", _("Most flags first"))]
        for column in dashboard.columns():
            sort_choices.append((column.key, column.label))
            sort_choices.append(("-" + column.key, _("%(column)s, descending") % {
                "column": column.label}))  # fmt: skip
        self.fields["sort"].choices = sort_choices


class ThresholdsForm(forms.ModelForm):
    class Meta:
        from .models import Thresholds

        model = Thresholds
        fields = Thresholds.FIELDS


class FollowUpNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Follow-up note"),
        max_length=MAX_CHARS,
        help_text=_("Seen by the coordinators only, never by the community's members."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContactLeadForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"), max_length=MAX_CHARS, widget=forms.Textarea(attrs={"rows": 5})
    )
