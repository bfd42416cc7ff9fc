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
# Seed 001: the outer circle is "on the distribution list": a new note or production is announced
# to every member, per their channel for the library (the digests list them in their own section).
NOTE_ADDED = register(
    "library.note_added",
    _("New note in the library of one of my communities"),
    _("%(actor)s wrote the note “%(title)s” in “%(community)s”"),
    group="library",
    in_digest=False,
)
PRODUCTION_ADDED = register(
    "library.production_added",
    _("New production planned by one of my communities"),
    _("%(actor)s added the production “%(production)s” to “%(community)s”"),
    group="library",
    in_digest=False,
)
