from django import forms

from .kinds import Delivery, all_kinds


class PreferencesForm(forms.Form):
    """One choice of delivery per kind of notification."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_kinds = {}
        for kind in all_kinds():
            name = kind.key.replace(".", "__")
            self.field_kinds[name] = kind.key
            self.fields[name] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, initial=current[kind.key]
            )

    def deliveries(self):
        return {key: self.cleaned_data[name] for name, key in self.field_kinds.items()}
