from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which object, and why: written by services for every important change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    # No target for network-wide actions (a restore).
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"]),
            # The audit log filtered by action, newest first.
            models.Index(fields=["action", "-created_at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_type_id}:{self.target_id}"


def one_or_none(queryset):
    """The row a look-up on a unique key finds, or None.

    `.first()` would add ORDER BY id, which can make PostgreSQL walk the primary key of a large
    table, filtering as it goes, instead of reading the one row from the unique index.
    """
    return next(iter(queryset.order_by()[:1]), None)


class ArchiveStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class GeneratedArchive(models.Model):
    """A ZIP built by a job for one person (a community's export, a person's data): ready to
    download for a few days, then deleted (see `archives.forget_expired_archives`)."""

    status = models.CharField(
        _("status"), max_length=10, choices=ArchiveStatus.choices, default=ArchiveStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="exports/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True

    @property
    def is_ready(self):
        from django.utils import timezone

        return (
            self.status == ArchiveStatus.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

    @property
    def is_pending(self):
        return self.status == ArchiveStatus.PENDING


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    WAITING = "waiting", _("waiting for the queue")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """A job handed to the queue, kept in the database until it has run (the job ledger,
    `core/jobs.py`): what the queue loses — Redis unreachable or restarted empty, a consumer
    killed after it took the job — is handed over again."""

    id = models.CharField(primary_key=True, max_length=64)  # huey's task id
    name = models.CharField(_("job"), max_length=200)
    message = models.BinaryField()  # the queue's own serialized message
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    due_at = models.DateTimeField(_("due"))
    queued_at = models.DateTimeField(_("handed to the queue"))
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            # The sweep reads the unfinished jobs only.
            models.Index(
                fields=["state", "queued_at"],
                name="job_open_idx",
                condition=models.Q(state__in=["queued", "waiting", "running"]),
            ),
            models.Index(fields=["finished_at"], name="job_finished_idx"),
        ]

    def __str__(self):
        return f"{self.name} {self.id} ({self.state})"
