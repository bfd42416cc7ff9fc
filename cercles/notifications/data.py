"""A person's notifications and delivery choices, in their data; erased with their account."""

from django.conf import settings
from django.utils import translation

from cercles.accounts.models import FORMER_MEMBER

from .models import CommunityPreference, DigestSchedule, Notification, NotificationPreference


def export_personal(person, writer):
    notifications = Notification.objects.filter(recipient=person).order_by("-created_at", "-id")
    writer.json_list(
        "notifications/notifications.json",
        (
            {
                "kind": n.kind,
                "message": n.message,
                "link": n.url,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in notifications.iterator(chunk_size=500)
        ),
    )
    schedule = DigestSchedule.objects.filter(user=person).values("hour", "weekday").first()
    writer.json(
        "notifications/preferences.json",
        {
            "channels": dict(
                NotificationPreference.objects.filter(user=person).values_list("group", "delivery")
            ),
            "communities": dict(
                CommunityPreference.objects.filter(user=person).values_list("community_id", "level")
            ),
            "digests": schedule or {},
        },
    )


def erase_personal(person, actor):
    """The person's own notifications go; in other people's, their name gives way to "former
    member" (the name was stored with each notification)."""
    Notification.objects.filter(recipient=person).delete()
    NotificationPreference.objects.filter(user=person).delete()
    CommunityPreference.objects.filter(user=person).delete()
    DigestSchedule.objects.filter(user=person).delete()
    with translation.override(settings.LANGUAGE_CODE):
        former = str(FORMER_MEMBER)
    told = Notification.objects.filter(actor=person).only("params")
    batch = []
    for notification in told.iterator(chunk_size=500):
        notification.params = {**notification.params, "actor": former}
        batch.append(notification)
        if len(batch) == 500:
            Notification.objects.bulk_update(batch, ["params"])
            batch = []
    Notification.objects.bulk_update(batch, ["params"])
