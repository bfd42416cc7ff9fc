from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Theme


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name_fr", "name_en", "position", "is_active"]

    def clean(self):
        cleaned = super().clean()
        name_fr = cleaned.get("name_fr")
        if name_fr and self.instance.pk is None:
            slug = slugify(name_fr)[:80]
            if not slug:
                self.add_error("name_fr", _("Use at least one letter or digit."))
            elif Theme.objects.filter(slug=slug).exists():
                self.add_error("name_fr", _("A theme with this name already exists."))
            else:
                self.instance.slug = slug
        return cleaned
