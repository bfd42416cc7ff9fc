"""Progress updates: every one is posted through `post_update`, whoever calls it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.communities.archive import ensure_writable
from cercles.core.audit import record_event
from cercles.notifications.services import notify

from .models import ProgressUpdate

PARTS = ("done", "next_steps", "blockers", "help_needed")
# The help request quoted in the coordinators' notification, at most this long.
NOTE_CHARS = 500


@transaction.atomic
def post_update(actor, community, *, done="", next_steps="", blockers="", help_needed=""):
    """Post a progress update; one that asks for help reaches every coordinator."""
    ensure_writable(community)
    if not actor.has_perm("coordination.post_update", community):
        raise PermissionDenied
    update = ProgressUpdate(
        community=community,
        author=actor,
        done=done.strip(),
        next_steps=next_steps.strip(),
        blockers=blockers.strip(),
        help_needed=help_needed.strip(),
    )
    if not any(getattr(update, part) for part in PARTS):
        raise ValidationError(_("Write at least one part of the update."))
    update.full_clean()
    update.save()
    record_event(actor, "update.posted", community, update=update.pk, help=update.asks_for_help)
    if update.asks_for_help:
        note = update.help_needed
        if len(note) > NOTE_CHARS:
            note = note[: NOTE_CHARS - 1].rstrip() + "…"
        url = update.get_absolute_url()
        transaction.on_commit(
            lambda: notify(
                User.objects.coordinators(),
                "coordination.help_needed",
                actor=actor,
                url=url,
                community=community.title,
                note=note,
            )
        )
    return update
