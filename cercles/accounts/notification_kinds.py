"""Notification kinds of the person's own account."""

from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

DATA_READY = register(
    "account.data_ready",
    _("My data is ready to download"),
    _("The archive of your data is ready: download it within 7 days"),
    group="membership",
    personal=True,
    member_only=False,
)
