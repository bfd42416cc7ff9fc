from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .kinds import KINDS, Delivery, Level


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know about, shown in the app and possibly sent by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Not a choice field: kinds are code, added by each app without a migration.
    kind = models.CharField(_("kind"), max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The community it is about, by id: the notifications sit below the communities and keep no
    # foreign key to them. Used for the per-community settings and to leave out of digests what
    # a person may no longer see.
    community_id = models.BigIntegerField(null=True, blank=True)
    # The channel chosen when it was created; digests gather the daily and weekly ones.
    delivery = models.CharField(
        _("delivery"), max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            # A person's list, newest first, a page at a time (thousands for a busy lead).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            # A digest batch: these people's daily (or weekly) notifications since a date.
            models.Index(
                fields=["delivery", "recipient", "created_at"],
                condition=models.Q(delivery__in=["daily", "weekly"]),
                name="notification_digest",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    @property
    def message(self):
        """The message in the current language, rendered from the stored parameters."""
        kind = KINDS.get(self.kind)
        if kind is None:
            return self.kind
        try:
            return kind.render(self.params)
        except (KeyError, TypeError, ValueError):
            # A message changed since this notification was stored: still say what it is about.
            return str(kind.label)

    @property
    def note(self):
        return self.params.get("note", "")

    @property
    def is_read(self):
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's channel for one group of kinds; without a row, the defaults by role apply."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    group = models.CharField(_("group"), max_length=80)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="notification_preference_unique")
        ]

    def __str__(self):
        return f"{self.user_id} {self.group}: {self.delivery}"


class CommunityPreference(models.Model):
    """How much a person hears from one community; without a row, they follow everything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="community_notification_levels",
    )
    community_id = models.BigIntegerField(_("community"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        verbose_name = _("community notification setting")
        verbose_name_plural = _("community notification settings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community_id"], name="community_preference_unique"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.community_id}: {self.level}"


DEFAULT_DIGEST_HOUR = 7


class DigestSchedule(models.Model):
    """When a person receives their digests, in their own time zone, and when they last did.

    `next_daily_at` and `next_weekly_at` are the next moments (UTC) a digest is due: the periodic
    job picks the people whose moment has come with one indexed query.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="digest_schedule",
    )
    hour = models.PositiveSmallIntegerField(_("hour of the digests"), default=DEFAULT_DIGEST_HOUR)
    weekday = models.PositiveSmallIntegerField(_("day of the weekly digest"), default=0)
    last_daily_at = models.DateTimeField(null=True, blank=True)
    last_weekly_at = models.DateTimeField(null=True, blank=True)
    next_daily_at = models.DateTimeField(db_index=True)
    next_weekly_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("digest schedule")
        verbose_name_plural = _("digest schedules")

    def __str__(self):
        return f"{self.user_id}: {self.hour}h, day {self.weekday}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Being sent")
    SENT = "sent", pgettext_lazy("an email", "Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    SKIPPED = "skipped", _("Not sent")
    INTERRUPTED = "interrupted", _("Interrupted: outcome unknown")


class SkipReason(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email address not confirmed")
    SUPPRESSED = "suppressed", _("Address stopped after a bounce")
    INACTIVE = "inactive", _("Account closed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Mailing(models.Model):
    """One message sent to many people (a newsletter, a report), sent by the job queue."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Being sent")
        DONE = "done", _("Sent")

    key = models.CharField(max_length=120, unique=True)
    # Which registered renderer writes each copy ("newsletter"), and of what object.
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.key


class EmailDelivery(models.Model):
    """One email to one person: the idempotency record that makes it go out at most once.

    A copy is claimed (pending → sending) by a conditional update committed before it is handed
    to the mail server, so a consumer that dies, or a job that runs twice, never sends it again.
    """

    key = models.CharField(max_length=120)
    mailing = models.ForeignKey(
        Mailing, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    address = models.EmailField(_("address"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=20, choices=SkipReason.choices, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A consumer working on a chunk of a mailing holds it until then; past it, another may.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "user"], name="one_email_per_person_and_key")
        ]
        indexes = [
            models.Index(fields=["mailing", "status", "id"], name="email_mailing_status"),
            models.Index(
                fields=["address", "-created_at"],
                condition=models.Q(status__in=["failed", "bounced", "interrupted"]),
                name="email_failures",
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.address}: {self.status}"


class SuppressedAddress(models.Model):
    """An address the mail server refused for good: nothing is sent to it any more."""

    address = models.EmailField(_("address"), unique=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("stopped address")
        verbose_name_plural = _("stopped addresses")
        ordering = ["-created_at"]

    def __str__(self):
        return self.address
