"""A person's notifications and delivery choices, in their data; erased with their account."""

from .models import Notification, NotificationPreference


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
    writer.json(
        "notifications/preferences.json",
        dict(NotificationPreference.objects.filter(user=person).values_list("kind", "delivery")),
    )


def erase_personal(person, actor):
    Notification.objects.filter(recipient=person).delete()
    NotificationPreference.objects.filter(user=person).delete()
