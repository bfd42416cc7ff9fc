from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MentoringSession, Subject, SupportNeed


class NeedForm(forms.ModelForm):
    class Meta:
        model = SupportNeed
        fields = ["subject", "scope", "urgency", "description"]
        widgets = {
            "scope": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class AssignMentorForm(forms.Form):
    """Pick one of the people suggested, or give an email: of a person of the network, or of a
    third party (then with their name)."""

    mentor = forms.ChoiceField(
        label=_("Suggested people"), required=False, widget=forms.RadioSelect
    )
    email = forms.EmailField(
        label=_("Or an email address"),
        required=False,
        help_text=_(
            "Of a person of the network, or of a third party who will be invited as a guest."
        ),
    )
    name = forms.CharField(
        label=_("Name of the third party"),
        required=False,
        max_length=120,
        help_text=_("Only for someone outside the network."),
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.username: person for person, _reasons in suggestions}
        self.fields["mentor"].choices = [
            (person.username, f"{person.name} — {', '.join(str(r) for r in reasons)}")
            for person, reasons in suggestions
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("mentor") and not data.get("email"):
            if data.get("name"):
                self.add_error("email", _("Give the third party's email address."))
            else:
                raise forms.ValidationError(
                    _("Choose a person of the network, or give a third party's name and email.")
                )
        return data

    def assignment(self):
        data = self.cleaned_data
        return {
            "mentor": self.people.get(data.get("mentor") or ""),
            "name": data.get("name", ""),
            "email": data.get("email", ""),
        }


class SessionForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["held_on", "format", "notes", "next_steps"]
        widgets = {
            "held_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }


class EndForm(forms.Form):
    assessment = forms.CharField(
        label=_("Closing assessment"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the accompaniment brought, what remains to do."),
    )


class MentorProfileForm(forms.Form):
    available = forms.BooleanField(label=_("I am available to mentor"), required=False)
    subjects = forms.MultipleChoiceField(
        label=_("Subjects I can help with"),
        required=False,
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("In a few words"), required=False, max_length=300)
