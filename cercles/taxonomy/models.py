from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ThemeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Theme(models.Model):
    """A theme of the network's managed taxonomy (seeded with the 17 SDGs / ODD)."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    sdg_number = models.PositiveSmallIntegerField(
        _("Sustainable Development Goal number"), null=True, blank=True, unique=True
    )
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=100)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Withdrawn themes stay on existing profiles.")
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "name_fr"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr

    @property
    def label(self):
        if self.sdg_number:
            return _("SDG %(number)s · %(name)s") % {"number": self.sdg_number, "name": self.name}
        return self.name


class Skill(models.Model):
    """A free tag that members put on their profile; existing ones are suggested."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="unique_skill_name_ci")]

    def __str__(self):
        return self.name

    @classmethod
    def slug_for(cls, name):
        return slugify(name)[:80] or "skill"


class Territory(models.Model):
    """A territory communities and people work on: a country, a region, or a wider area."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    countries = models.JSONField(
        _("countries"),
        default=list,
        blank=True,
        help_text=_("ISO codes of the countries it covers, to match people's profiles."),
    )
    position = models.PositiveIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["position", "name_fr"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr
