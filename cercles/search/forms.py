from django import forms
from django.utils.translation import gettext_lazy as _

from cercles.accounts.forms import country_choices
from cercles.accounts.languages import SPOKEN_LANGUAGES
from cercles.communities.models import Community
from cercles.core.widgets import LongSelect
from cercles.taxonomy.models import Skill, Territory, Theme

from . import kinds


class SearchForm(forms.Form):
    """What to look for, and where. Every field is optional; a wrong one is said beside it and
    the search goes on without it."""

    # No length limit here: a long query is cut (text.MAX_QUERY_CHARS) and the page says so.
    q = forms.CharField(label=_("Search for"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    # Every community the person sees: a thousand at network scale, written out in Python.
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        required=False,
        widget=LongSelect,
        to_field_name="slug",
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, to_field_name="slug"
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        to_field_name="slug",
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (kind.key, kind.label) for kind in kinds.all_kinds()
        ]
        self.fields["community"].queryset = (
            Community.objects.visible_to(user).only("pk", "slug", "title").order_by("title")
        )
        self.fields["theme"].queryset = Theme.objects.active()
        self.fields["territory"].queryset = Territory.objects.all()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return cleaned

    def valid_filters(self):
        """The filters that were understood (a wrong one is left out, and shown as wrong)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name in data}


class PeopleFilterForm(forms.Form):
    """The expert directory's filters; "available to mentor" appears once profiles have it."""

    q = forms.CharField(
        label=_("Name, skill, organisation, territory…"), required=False, max_length=200
    )
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.none(),
        required=False,
        widget=LongSelect,
        to_field_name="slug",
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, to_field_name="slug"
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.none(),
        required=False,
        to_field_name="slug",
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=LongSelect)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=160)
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    mentor = forms.BooleanField(label=_("Available to mentor"), required=False)
    has_led = forms.BooleanField(label=_("Has led a community"), required=False)

    def __init__(self, *args, **kwargs):
        from .directory import mentor_field

        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.all()
        self.fields["theme"].queryset = Theme.objects.active()
        self.fields["territory"].queryset = Territory.objects.all()
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]
        self.fields["language"].choices = [("", _("Any language")), *SPOKEN_LANGUAGES]
        if mentor_field() is None:
            del self.fields["mentor"]

    def valid_filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) for name in self.fields if name in data}
