from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Stage, ValueKind


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    happened = forms.CharField(
        label=_("What happened"),
        max_length=3000,
        help_text=_("What the community changed for you, in a few sentences."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    value_kind = forms.ChoiceField(
        label=_("The value it created"), choices=ValueKind.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        label=_("Evidence, if any"),
        required=False,
        max_length=2000,
        help_text=_("A figure, a document, a testimony: what shows it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StageOverrideForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        help_text=_("Why the facts tell the stage wrong; shown beside the stage."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the facts tell the stage wrong.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the facts tell the stage wrong."))
        return reason


DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[(1, _("Q1 (January to March)")), (2, _("Q2 (April to June)")),
                 (3, _("Q3 (July to September)")), (4, _("Q4 (October to December)"))],
    )  # fmt: skip
    contributions_until = forms.DateField(
        label=_("Members may contribute until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to open the window later."),
    )


class ReportEditForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=10_000,
        help_text=_("Markdown is allowed."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    highlights = forms.CharField(
        label=_("Highlights"),
        required=False,
        max_length=10_000,
        help_text=_("Markdown is allowed."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contributions_until = forms.DateField(
        label=_("Members may contribute until"), required=False, widget=DATE_INPUT
    )


class ContributionForm(forms.Form):
    text = forms.CharField(
        label=_("Your piece"),
        max_length=3000,
        help_text=_("A few lines for the quarterly report. Markdown is allowed."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    image = forms.FileField(
        label=_("One image (optional)"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    image_alt = forms.CharField(label=_("Description of the image"), required=False, max_length=200)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accepted", _("Accept")), ("declined", _("Do not keep"))],
    )
    text = forms.CharField(
        label=_("Text"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
