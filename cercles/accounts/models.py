import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cercles.taxonomy.choices import ObjectiveType

from .languages import SPOKEN_LANGUAGE_NAMES

TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class UserQuerySet(models.QuerySet):
    def coordinators(self):
        return self.filter(is_coordinator=True, is_active=True)

    def for_directory(self):
        return self.filter(is_active=True).exclude(display_name="")


class CercleUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A practitioner of the network: account, public profile and personal preferences.

    The profile lives on the user row because a person's name, organisation and avatar are shown
    wherever they appear; keeping them here saves a join on every list.
    """

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    job_title = models.CharField(_("job title"), max_length=160, blank=True)
    country = CountryField(_("country"), blank=True)
    region = models.CharField(_("region or territory"), max_length=160, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="people"
    )
    skills = models.ManyToManyField(
        "taxonomy.Skill", verbose_name=_("skills"), blank=True, related_name="people"
    )
    spoken_languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    bio = models.TextField(_("short bio"), max_length=3000, blank=True)
    sought_objectives = models.JSONField(
        _("what I look for in a community"), default=list, blank=True
    )
    looking_for = models.TextField(
        _("what I am looking for in the network"), max_length=2000, blank=True
    )
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Coordinators review framings and follow every community of the network."),
    )

    objects = CercleUserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name", "username"]
        indexes = [
            # The directory, a page at a time, in name order (UserQuerySet.for_directory).
            models.Index(
                fields=["display_name", "username"],
                condition=models.Q(is_active=True) & ~models.Q(display_name=""),
                name="directory_order",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.display_name or self.email.split("@")[0] or self.username

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.username])

    @property
    def avatar_url(self):
        if not self.avatar:
            return ""
        return reverse("people:avatar", args=[self.username]) + f"?v={self.avatar.name[-12:]}"

    @property
    def initials(self):
        parts = [p for p in self.name.replace("-", " ").split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @property
    def spoken_language_names(self):
        return [SPOKEN_LANGUAGE_NAMES.get(code, code) for code in self.spoken_languages]

    @property
    def sought_objective_labels(self):
        labels = dict(ObjectiveType.choices)
        return [labels[v] for v in self.sought_objectives if v in labels]

    @property
    def network_role_label(self):
        if self.is_superuser:
            return _("administrator")
        if self.is_coordinator:
            return _("coordinator")
        return _("member")
