"""Notifications of the library and productions."""

from django.utils.translation import gettext_lazy as _

from cercles.notifications.kinds import register

PRODUCTION_DELIVERED = register(
    "library.production_delivered",
    _("Production delivered by one of my communities"),
    _("%(actor)s delivered “%(production)s” in “%(community)s”"),
    group="library",
    in_digest=False,
)
