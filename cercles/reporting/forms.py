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
