from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .kinds import Delivery, all_kinds, get_kind
from .models import Notification, NotificationPreference
from .tasks import send_notification_email

# Who triggered a notification when no person did (a scheduled job, for instance).
SYSTEM_ACTOR_NAME = "Cercles"


def is_site_path(url):
    """True for a path of this site ("/communities/…"), false for anything that could leave it."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def notify(recipients, kind, *, actor=None, url="", **params):
    """Tell each recipient about something, in the app and, if they wish, by email.

    `recipients` is one person or an iterable of people (a queryset is read once); the actor,
    inactive people and duplicates are skipped, as are people who turned this kind off. `kind` is
    a registered key ("community.submitted") or a `Kind`. `url` is a path of this site. `params`
    are the message's plain values (`community="Eau au Sahel"`); `actor` is added from the actor's
    name. Emails are queued when the surrounding transaction commits. Returns the notifications
    stored. Costs two queries (preferences, insert) whatever the number of recipients.
    """
    kind = get_kind(kind)
    if url and not is_site_path(url):
        raise ValueError(f"notification links must be paths of this site, not {url!r}")
    params.setdefault("actor", actor.name if actor is not None else SYSTEM_ACTOR_NAME)
    kind.check_params(params)

    if hasattr(recipients, "_meta"):
        recipients = [recipients]
    people = {}
    for person in recipients:
        if person.is_active and (actor is None or person.pk != actor.pk):
            people.setdefault(person.pk, person)
    if not people:
        return []

    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=list(people), kind=kind.key).values_list(
            "user_id", "delivery"
        )
    )
    deliveries = {pk: chosen.get(pk, kind.default_delivery) for pk in people}
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=kind.key,
            actor=actor,
            url=url,
            params=params,
        )
        for pk, person in people.items()
        if deliveries[pk] != Delivery.OFF
    )
    to_email = [n.pk for n in notifications if deliveries[n.recipient_id] == Delivery.IMMEDIATE]
    if to_email:
        # robust: a queue outage must not turn a committed change into an error page.
        transaction.on_commit(lambda: _queue_emails(to_email), robust=True)
    return notifications


def _queue_emails(notification_ids):
    for pk in notification_ids:
        send_notification_email(pk)


def mark_read(user, notification):
    if not user.has_perm("notifications.view_notification", notification):
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user):
    """Mark every unread notification of the person read; returns how many were."""
    return Notification.objects.for_recipient(user).unread().update(read_at=timezone.now())


def delivery_for(user, kind):
    kind = get_kind(kind)
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind.key)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or kind.default_delivery


def preferences_of(user):
    """{kind key: delivery} for every registered kind, defaults included."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.key: chosen.get(kind.key, kind.default_delivery) for kind in all_kinds()}


def set_preference(user, kind, delivery):
    kind = get_kind(kind)
    if delivery not in Delivery.values:
        raise ValidationError(f"unknown delivery {delivery!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind.key, defaults={"delivery": delivery}
    )
    return preference


@transaction.atomic
def set_preferences(user, deliveries):
    """Save several choices at once ({kind key: delivery}); only changed ones are written."""
    if not user.has_perm("notifications.change_preferences"):
        raise PermissionDenied
    current = preferences_of(user)
    for key, delivery in deliveries.items():
        if current.get(key) != delivery:
            set_preference(user, key, delivery)
