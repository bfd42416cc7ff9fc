from django import forms
from django.utils.translation import gettext_lazy as _

from cercles.taxonomy.models import Territory, Theme

from .models import Kind, ObjectiveType

STATUS_CHOICES = [
    ("", _("Any status")),
    ("recruiting", _("Recruiting")),
    ("active", _("Active")),
    ("closed", _("Closed")),
]


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Words in the title or purpose"), required=False, max_length=100)
    theme = ThemeChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All territories"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Any kind")),
            (Kind.THEMATIC, _("Thematic")),
            (Kind.TERRITORIAL, _("Territorial")),
        ],
    )
    objective = forms.ChoiceField(
        label=_("Objective"),
        required=False,
        choices=[("", _("Any objective")), *ObjectiveType.choices],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def filters(self):
        """The valid filters; an invalid one is shown with its error and ignored."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}
