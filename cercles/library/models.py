"""A community's library (notes with their history, files, links) and its productions."""

import os
import uuid

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cercles.communities.lifecycle import PUBLISHED_STATES
from cercles.communities.models import ProductionKind, Visibility
from cercles.core.models import TimeStampedModel

# Links open web pages only: no javascript:, data:, ftp: or file: addresses.
web_address_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)


def _stored_name(prefix, instance, filename):
    """A random name: the name people gave the file is kept in the database only."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{prefix}/{instance.community_id}/{uuid.uuid4().hex}{extension}"


def library_upload_to(instance, filename):
    return _stored_name("library", instance, filename)


def production_upload_to(instance, filename):
    return _stored_name("productions", instance, filename)


class Tag(models.Model):
    """A label a community puts on its library items; each community has its own."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="library_tags"
    )
    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(max_length=60, allow_unicode=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="unique_tag_per_community")
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def slug_for(name):
        # Accents folded ("Comités" = "comites"); other scripts kept rather than lost.
        return (slugify(name) or slugify(name, allow_unicode=True))[:60]


class ItemKind(models.TextChoices):
    NOTE = "note", _("Note")
    FILE = "file", _("File")
    LINK = "link", _("Link")


class Sharing(models.TextChoices):
    """Who reads one item of a private community besides its members (issue 11)."""

    COMMUNITY = "community", _("The community's members")
    NETWORK = "network", _("Every member of the network")
    PUBLIC = "public", _("Anyone, even without an account")


def sharing_field():
    return models.CharField(
        _("shared with"),
        max_length=10,
        choices=Sharing.choices,
        default=Sharing.COMMUNITY,
        db_index=True,
        help_text=_(
            "In a private community, an item may be shared beyond its members; discussions "
            "always stay private."
        ),
    )


def shared_levels(user):
    """The sharing levels a person reads beyond their communities."""
    return [Sharing.PUBLIC, Sharing.NETWORK] if user.is_authenticated else [Sharing.PUBLIC]


class ItemQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("author").prefetch_related("tags")

    def legacy(self):
        return self.filter(keep_in_legacy=True)

    def shared_with_reader(self, user):
        """Items a person reads because they are shared beyond their community's members."""
        return self.filter(
            shared_with__in=shared_levels(user), community__state__in=PUBLISHED_STATES
        )


class Item(TimeStampedModel):
    """One thing in a community's library: a note (a notebook page), a file or a link."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="library_items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="items")
    keep_in_legacy = models.BooleanField(
        _("keep in the legacy"),
        default=False,
        help_text=_("Kept in the network's library when the community closes."),
    )
    # A note's current text; every version is kept in NoteRevision.
    body = models.TextField(_("text"), blank=True)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=library_upload_to, blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    url = models.URLField(
        _("address"), max_length=500, blank=True, validators=[web_address_validator]
    )
    shared_with = sharing_field()

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["community", "kind", "-updated_at"]),
            # The newest across many communities (a member's home feed): walked newest first.
            models.Index(fields=["-created_at"], name="item_created_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:item_detail", args=[self.community.slug, self.pk])

    @property
    def is_note(self):
        return self.kind == ItemKind.NOTE

    @property
    def is_file(self):
        return self.kind == ItemKind.FILE

    @property
    def is_link(self):
        return self.kind == ItemKind.LINK


class NoteRevision(models.Model):
    """A version of a note as it was saved: the notebook's history."""

    note = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    comment = models.CharField(_("what changed"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("note revision")
        verbose_name_plural = _("note revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="unique_revision_number")
        ]

    def __str__(self):
        return f"{self.title} #{self.number}"


class ProductionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")


class Audience(models.TextChoices):
    NETWORK = "network", _("The network and its organisations")
    TERRITORY = "territory", _("A territory")
    PROFESSIONALS = "professionals", _("Practitioners and volunteers")
    PUBLIC = "public", _("The general public")


class ProductionQuerySet(models.QuerySet):
    def delivered(self):
        return self.filter(status=ProductionStatus.DELIVERED)

    def legacy(self):
        return self.filter(keep_in_legacy=True)

    def in_network_library(self, user):
        """Delivered productions of published communities the person may read from /library/.

        Private communities' productions appear only when shared with the network or the public
        (issue 11), not even to their members otherwise.
        """
        visibilities = [Visibility.PUBLIC]
        if user.is_authenticated:
            visibilities.append(Visibility.NETWORK)
        return self.delivered().filter(
            Q(community__visibility__in=visibilities) | Q(shared_with__in=shared_levels(user)),
            community__state__in=PUBLISHED_STATES,
        )

    def shared_with_reader(self, user):
        """Productions a person reads because they are shared beyond the community's members."""
        return self.filter(
            shared_with__in=shared_levels(user), community__state__in=PUBLISHED_STATES
        )


class Production(TimeStampedModel):
    """What a community delivers to the network, a territory or the public (seed 000)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="productions"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductionKind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    audience_detail = models.CharField(
        _("audience, in detail"),
        max_length=200,
        blank=True,
        help_text=_("For example: the water committees of three communes."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProductionStatus.choices,
        default=ProductionStatus.PLANNED,
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to=production_upload_to, blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    url = models.URLField(_("link"), max_length=500, blank=True, validators=[web_address_validator])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    keep_in_legacy = models.BooleanField(
        _("keep in the legacy"),
        default=False,
        help_text=_("Kept in the network's library when the community closes."),
    )
    shared_with = sharing_field()

    objects = ProductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("production")
        verbose_name_plural = _("productions")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["status", "-delivered_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:production_detail", args=[self.community.slug, self.pk])

    @property
    def is_delivered(self):
        return self.status == ProductionStatus.DELIVERED
