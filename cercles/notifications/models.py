from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, Delivery


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
    """A person's choice of delivery for one kind; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=80)
    # Room for digest values: adding a choice changes no stored row.
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.delivery}"
