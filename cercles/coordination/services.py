"""Progress updates (`post_update`) and the network newsletter (`create_newsletter`,
`update_newsletter`, `add_newsletter_image`, `send_newsletter`), whoever calls them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.communities.archive import ensure_writable
from cercles.core.audit import record_event
from cercles.notifications.services import notify

from .models import Newsletter, NewsletterImage, ProgressUpdate

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
                community_id=community.pk,
                note=note,
            )
        )
    return update


# --- The newsletter ------------------------------------------------------------------------------


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


@transaction.atomic
def create_newsletter(actor, *, period_start, period_end, subject=""):
    """A draft compiled from the period, for the coordinator to edit."""
    from .newsletter import compile_draft

    _require(actor, "coordination.manage_newsletters")
    newsletter = Newsletter(
        subject=subject
        or _("News of the network, %(start)s – %(end)s")
        % {"start": period_start.strftime("%d/%m"), "end": period_end.strftime("%d/%m/%Y")},
        body=compile_draft(period_start, period_end),
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
    )
    newsletter.full_clean()
    newsletter.save()
    record_event(actor, "newsletter.created", newsletter)
    return newsletter


def _require_draft(newsletter):
    if not newsletter.is_draft:
        raise ValidationError(_("This newsletter has been sent: it can no longer be changed."))


@transaction.atomic
def update_newsletter(actor, newsletter, *, subject, body, themes=(), territories=(), roles=()):
    from .newsletter import problems_of

    _require(actor, "coordination.manage_newsletters")
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    _require_draft(newsletter)
    problems = problems_of(body)
    if problems:
        raise ValidationError({"body": problems})
    newsletter.subject = subject.strip()
    newsletter.body = body
    newsletter.segment_roles = list(roles)
    newsletter.full_clean()
    newsletter.save()
    newsletter.segment_themes.set(themes)
    newsletter.segment_territories.set(territories)
    record_event(actor, "newsletter.updated", newsletter)
    return newsletter


@transaction.atomic
def add_newsletter_image(actor, newsletter, upload, alt):
    """Store an image made light enough for email (at most 100 KB); returns it."""
    from .newsletter import ImageTooHeavy, shrink_image

    _require(actor, "coordination.manage_newsletters")
    _require_draft(newsletter)
    try:
        content, extension, width, height = shrink_image(upload)
    except ImageTooHeavy:
        raise ValidationError(
            {"image": _("This image stays over 100 KB even made smaller: choose a simpler one.")}
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for bad files
        raise ValidationError({"image": _("This file is not an image Cercles can read.")}) from None
    image = NewsletterImage(
        newsletter=newsletter,
        alt=alt.strip(),
        width=width,
        height=height,
        size=len(content),
        extension=extension,
    )
    image.image.save(f"image.{extension}", ContentFile(content), save=False)
    image.full_clean()
    image.save()
    record_event(actor, "newsletter.image_added", newsletter, image=image.pk)
    return image


@transaction.atomic
def send_newsletter(actor, newsletter):
    """Send the newsletter to its segment, once: a second click finds it sent and does nothing.

    Returns the mailing, or None when it had already been sent. Refused when the segment
    reaches nobody or the text has a problem.
    """
    from cercles.notifications.sending import start_mailing

    from .newsletter import audience_counts, problems_of, recipients

    _require(actor, "coordination.manage_newsletters")
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if not newsletter.is_draft:
        return None
    problems = problems_of(newsletter.body)
    if problems:
        raise ValidationError(problems)
    total, reachable = audience_counts(newsletter)
    if not reachable:
        raise ValidationError(_("Nobody would receive this newsletter: widen the segment."))
    ids = list(recipients(newsletter).order_by("pk").values_list("pk", flat=True))
    mailing = start_mailing("newsletter", newsletter.pk, ids, key=newsletter.mailing_key)
    newsletter.status = Newsletter.Status.SENT
    newsletter.sent_by = actor
    newsletter.sent_at = timezone.now()
    newsletter.recipient_count = reachable
    newsletter.skipped_count = total - reachable
    newsletter.save(
        update_fields=["status", "sent_by", "sent_at", "recipient_count", "skipped_count"]
    )
    record_event(
        actor, "newsletter.sent", newsletter, recipients=reachable, skipped=total - reachable
    )
    return mailing


@transaction.atomic
def allow_address_again(actor, address):
    """Lift the stop on an address after a bounce (the person fixed their mailbox)."""
    from cercles.notifications.models import SuppressedAddress

    _require(actor, "coordination.view_sending")
    stopped = SuppressedAddress.objects.filter(address=address.lower()).first()
    if stopped is not None:
        stopped.delete()
        record_event(actor, "email.address_allowed", actor, address=address.lower())
    return stopped is not None


# --- Follow-up (issue 14) ------------------------------------------------------------------------


def _require_coordinator(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


@transaction.atomic
def save_thresholds(actor, **values):
    """Change the network's follow-up thresholds; every value is checked before anything is
    saved, then the flags are recomputed with them."""
    from .figures import refresh_figures
    from .models import Thresholds

    _require_coordinator(actor, "coordination.edit_thresholds")
    thresholds = Thresholds.current()
    before = {name: getattr(thresholds, name) for name in Thresholds.FIELDS}
    for name in Thresholds.FIELDS:
        if name in values:
            setattr(thresholds, name, values[name])
    thresholds.updated_by = actor
    thresholds.full_clean()
    thresholds.save()
    after = {name: getattr(thresholds, name) for name in Thresholds.FIELDS}
    record_event(actor, "thresholds.changed", thresholds, before=before, after=after)
    refresh_figures()
    return thresholds


@transaction.atomic
def add_follow_up_note(actor, community, body):
    from .models import FollowUpNote

    _require_coordinator(actor, "coordination.write_follow_up_note", community)
    note = FollowUpNote(community=community, author=actor, body=body.strip())
    if not note.body:
        raise ValidationError({"body": _("Write the note.")})
    note.full_clean()
    note.save()
    record_event(actor, "follow_up.note_added", community, note=note.pk)
    return note


@transaction.atomic
def contact_lead(actor, community, *, subject, body):
    """Send the lead a message from the follow-up page (in the app and by email, as the lead
    receives the coordination group) and keep it in the community's follow-up."""
    from .models import FollowUpNote

    _require_coordinator(actor, "coordination.contact_lead", community)
    note = FollowUpNote(
        community=community,
        author=actor,
        kind=FollowUpNote.Kind.CONTACT,
        recipient=community.lead,
        subject=subject.strip(),
        body=body.strip(),
    )
    if not note.subject:
        raise ValidationError({"subject": _("Give the message a subject.")})
    if not note.body:
        raise ValidationError({"body": _("Write the message.")})
    note.full_clean()
    note.save()
    record_event(actor, "follow_up.lead_contacted", community, note=note.pk)
    lead, url = community.lead, community.get_absolute_url()
    message = note.body
    if len(message) > NOTE_CHARS:
        message = message[: NOTE_CHARS - 1].rstrip() + "…"
    transaction.on_commit(
        lambda: notify(
            lead,
            "coordination.message_to_lead",
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
            subject=note.subject,
            note=message,
        )
    )
    return note
