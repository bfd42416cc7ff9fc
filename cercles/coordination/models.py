import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProgressUpdate(models.Model):
    """A short update by a community's lead or co-lead: done, next, blockers, help needed."""

    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done = models.TextField(_("what was done"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    blockers = models.TextField(_("blockers"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self):
        return f"{self.community} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("updates:list", args=[self.community.slug]) + f"#update-{self.pk}"

    @property
    def asks_for_help(self):
        return bool(self.help_needed.strip())


class SegmentRole(models.TextChoices):
    LEADS = "leads", _("Leads and co-leads")
    CORE = "core", _("Core groups")
    INNER = "inner", _("Inner circles")
    OUTER = "outer", _("Outer circles")
    COORDINATORS = "coordinators", _("Coordinators")


class Newsletter(models.Model):
    """The network's newsletter: compiled from a period, edited by a coordinator, sent once to
    all or to a segment, each copy with a part of its own, then kept in the archive."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("text"), max_length=50_000, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    segment_themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    segment_territories = models.ManyToManyField(
        "taxonomy.Territory", verbose_name=_("territories"), blank=True, related_name="+"
    )
    segment_roles = models.JSONField(_("roles"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    skipped_count = models.PositiveIntegerField(_("not sent"), default=0)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-sent_at", "-created_at", "-id"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        if self.status == self.Status.SENT:
            return reverse("newsletter:archive_detail", args=[self.pk])
        return reverse("newsletter:edit", args=[self.pk])

    @property
    def mailing_key(self):
        return f"newsletter:{self.pk}"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def segment_role_labels(self):
        labels = dict(SegmentRole.choices)
        return [labels[r] for r in self.segment_roles if r in labels]


def newsletter_image_path(instance, filename):
    return f"newsletters/{instance.newsletter_id}/{uuid.uuid4().hex[:12]}.{instance.extension}"


class NewsletterImage(models.Model):
    """An image of a newsletter, made small enough for weak connections (at most 100 KB)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(_("image"), upload_to=newsletter_image_path, max_length=200)
    alt = models.CharField(_("description of the image"), max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    extension = models.CharField(max_length=5, default="jpg")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("newsletter image")
        verbose_name_plural = _("newsletter images")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.alt

    def get_absolute_url(self):
        return reverse("newsletter:image", args=[self.pk, self.extension])
