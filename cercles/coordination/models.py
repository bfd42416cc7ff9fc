import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
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


# --- The follow-up of communities (issue 14) -----------------------------------------------------


class Thresholds(models.Model):
    """The network's follow-up thresholds, edited by the coordinators; one row (pk=1)."""

    inactivity_days = models.PositiveSmallIntegerField(
        _("no activity for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("No post, meeting, note or update for this long raises a flag."),
    )
    meeting_gap_days = models.PositiveSmallIntegerField(
        _("no meeting for (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    next_steps_days = models.PositiveSmallIntegerField(
        _("next steps not updated for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    review_wait_days = models.PositiveSmallIntegerField(
        _("framing waiting for review for (days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    FIELDS = ("inactivity_days", "meeting_gap_days", "next_steps_days", "review_wait_days")

    class Meta:
        verbose_name = _("follow-up thresholds")
        verbose_name_plural = _("follow-up thresholds")

    def __str__(self):
        return "thresholds"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


class CommunityFigures(models.Model):
    """One community's follow-up figures and flags, kept by `refresh_figures` (a periodic job
    and the services that change them) so that the dashboard reads one row per community and
    counts nothing."""

    community = models.OneToOneField(
        "communities.Community",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="figures",
    )
    posts_30 = models.PositiveIntegerField(default=0)
    posts_90 = models.PositiveIntegerField(default=0)
    meetings_30 = models.PositiveIntegerField(default=0)
    meetings_90 = models.PositiveIntegerField(default=0)
    notes_30 = models.PositiveIntegerField(default=0)
    notes_90 = models.PositiveIntegerField(default=0)
    updates_30 = models.PositiveIntegerField(default=0)
    updates_90 = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_meeting_at = models.DateTimeField(null=True, blank=True)
    next_meeting_at = models.DateTimeField(null=True, blank=True)
    overdue_milestones = models.PositiveIntegerField(default=0)
    overdue_tasks = models.PositiveIntegerField(default=0)
    last_update_at = models.DateTimeField(null=True, blank=True)
    co_leads = models.JSONField(default=list, blank=True)  # names
    season = models.CharField(max_length=120, blank=True)
    health_decision = models.CharField(max_length=10, blank=True)
    health_review_at = models.DateTimeField(null=True, blank=True)
    open_needs = models.PositiveIntegerField(default=0)
    needs_without_mentor = models.PositiveIntegerField(default=0)
    mentors = models.JSONField(default=list, blank=True)  # names
    # [{"code": flag code, "params": {…}}], in the order of the flag registry.
    flags = models.JSONField(default=list, blank=True)
    flag_count = models.PositiveSmallIntegerField(default=0, db_index=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("community figures")
        verbose_name_plural = _("community figures")

    def __str__(self):
        return f"figures of {self.community_id}"

    @property
    def flag_codes(self):
        return [flag["code"] for flag in self.flags]

    def activity(self, days):
        return sum(
            getattr(self, f"{part}_{days}") for part in ("posts", "meetings", "notes", "updates")
        )


class FlagEvent(models.Model):
    """When a flag was raised on a community and when it went away: the follow-up's history."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="flag_events"
    )
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["community", "-raised_at"])]

    def __str__(self):
        return f"{self.community_id}: {self.code}"


class FollowUpNote(models.Model):
    """A coordinator's own note on a community (never shown to its members), or the record of a
    message sent to its lead from the follow-up page."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Follow-up note")
        CONTACT = "contact", _("Message to the lead")
        NUDGE = "nudge", _("Reminder sent to the lead")

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="follow_up_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    # For a message or a reminder: the code of what it was about and to whom it went.
    subject = models.CharField(_("subject"), max_length=150, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "kind", "-created_at"])]

    def __str__(self):
        return f"{self.community_id} · {self.created_at:%Y-%m-%d}"
