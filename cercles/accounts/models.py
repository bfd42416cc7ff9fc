import hashlib
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cercles.core.models import GeneratedArchive
from cercles.taxonomy.choices import ObjectiveType

from .languages import SPOKEN_LANGUAGE_NAMES

TIME_ZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


# How a deleted account reads wherever its posts and notes stay.
FORMER_MEMBER = _("former member")


# The technical administration account (Django's admin site, the seeded "admin"): staff or
# superuser without being a coordinator. It is nobody the members look for.
TECHNICAL_ACCOUNT = (models.Q(is_superuser=True) | models.Q(is_staff=True)) & models.Q(
    is_coordinator=False
)


class UserQuerySet(models.QuerySet):
    def coordinators(self):
        return self.filter(is_coordinator=True, is_active=True)

    def for_directory(self):
        """The people others may find: active, named, and not a technical account."""
        return self.filter(is_active=True).exclude(display_name="").exclude(TECHNICAL_ACCOUNT)


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
    # A third party invited to accompany one community (issue 14): reads that community only,
    # for the time of the accompaniment, and nothing else of the network.
    is_guest = models.BooleanField(_("guest"), default=False, editable=False)
    # Set when the account is deleted: the row stays so that posts keep an author, who reads
    # "former member"; everything personal on it is erased.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

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
        if self.deleted_at is not None:
            return str(FORMER_MEMBER)
        return self.display_name or self.email.split("@")[0] or self.username

    @property
    def is_technical_account(self):
        return (self.is_superuser or self.is_staff) and not self.is_coordinator

    @property
    def is_deleted(self):
        return self.deleted_at is not None

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


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored: the token is shown once, at creation."""

    PREFIX = "cer_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=80)
    # The first characters of the token, to recognise it in the list.
    hint = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(
        _("access"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash_of(raw):
        return hashlib.sha256(raw.encode()).hexdigest()

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_live(self):
        return not self.is_revoked and not self.is_expired

    @property
    def can_write(self):
        return self.scope == TokenScope.WRITE


class PersonalDataExport(GeneratedArchive):
    """ "Download my data": a ZIP of everything Cercles holds about the person, built by a job."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"data of {self.user_id} ({self.status})"
