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
        # Names are compared by their slug, so that case and accents do not make a second theme.
        others = Theme.objects.exclude(pk=self.instance.pk)
        for field in ("name_fr", "name_en"):
            name = cleaned.get(field)
            if name and any(
                slugify(getattr(other, field)) == slugify(name) for other in others.only(field)
            ):
                self.add_error(field, _("A theme with this name already exists."))
        name_fr = cleaned.get("name_fr")
        if name_fr and self.instance.pk is None and "name_fr" not in self.errors:
            slug = slugify(name_fr)[:80]
            if not slug:
                self.add_error("name_fr", _("Use at least one letter or digit."))
            elif Theme.objects.filter(slug=slug).exists():
                self.add_error("name_fr", _("A theme with this name already exists."))
            else:
                self.instance.slug = slug
        return cleaned
