"""A community's seasons (seed 002: "a cyclic approach rather than an infinite one"), each with
its objectives, its review and the celebration of what was achieved."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cercles.core.models import TimeStampedModel


class ObjectiveStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Dropped")


class SeasonQuerySet(models.QuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today)

    def published(self):
        return self.filter(review_published_at__isnull=False)


class Season(TimeStampedModel):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="seasons"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    # The season review, filled by the lead when the season ends, then published.
    review_achievements = models.TextField(_("what we are proud of"), blank=True)
    review_learnt = models.TextField(_("what we learnt"), blank=True)
    review_keep_doing = models.TextField(_("what we keep doing"), blank=True)
    review_published_at = models.DateTimeField(_("review published"), null=True, blank=True)
    review_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="unique_season_number"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="season_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["community", "starts_on"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("seasons:list", args=[self.community.slug]) + f"#season-{self.pk}"

    @property
    def is_published(self):
        return self.review_published_at is not None

    def days_left(self, today=None):
        return (self.ends_on - (today or timezone.localdate())).days

    def has_started(self, today=None):
        return self.starts_on <= (today or timezone.localdate())

    def has_ended(self, today=None):
        return self.ends_on < (today or timezone.localdate())

    def elapsed_share(self, today=None):
        """How much of the season has gone by, from 0 to 1."""
        today = today or timezone.localdate()
        total = (self.ends_on - self.starts_on).days or 1
        return min(1.0, max(0.0, (today - self.starts_on).days / total))


class Objective(TimeStampedModel):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("in detail"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectiveStatus.choices, default=ObjectiveStatus.PLANNED
    )
    milestone = models.ForeignKey(
        "communities.Milestone",
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    production = models.ForeignKey(
        "library.Production",
        verbose_name=_("production"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    @property
    def community(self):
        return self.season.community

    @property
    def is_reached(self):
        return self.status == ObjectiveStatus.REACHED


def celebration_upload_to(instance, filename):
    return f"celebrations/{instance.season.community_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1]}"  # noqa: E501


class CelebrationPdf(models.Model):
    """The printable celebration of a season, made by a background job, one per language."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(max_length=10)
    file = models.FileField(upload_to=celebration_upload_to, max_length=200)
    generated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["season", "language"], name="one_pdf_per_language")
        ]

    def __str__(self):
        return f"{self.season} ({self.language})"


class ReminderSent(models.Model):
    """A reminder that went out, so that each is sent once (`key` names what it was about)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="one_reminder_per_key")
        ]

    def __str__(self):
        return f"{self.community_id}: {self.key}"
