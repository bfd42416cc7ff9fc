"""Daily and weekly digests: one email gathering what happened in a person's communities.

A digest holds the sections other apps register (new threads, meetings coming, library items…)
for the communities the person follows for everything and whose group they read in that digest,
then the notifications they chose to receive that way. People are handled in batches: composing
a batch costs a fixed number of queries whatever its size. Nothing is sent when there is nothing
new; the period always moves on.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from . import audience
from .kinds import GROUPS, KINDS, Delivery, Level, get_group
from .models import CommunityPreference, DigestSchedule, Notification, NotificationPreference
from .sections import DIGEST_SECTIONS, Batch, Reader, ordered
from .sending import Letter, absolute_url, send_letters
from .unsubscribe import unsubscribe_path

PERIODS = {
    Delivery.DAILY: datetime.timedelta(days=1),
    Delivery.WEEKLY: datetime.timedelta(days=7),
}
BATCH_SIZE = 200
NOTIFICATIONS_SHOWN = 20


@dataclass
class Digest:
    user: object
    frequency: str
    since: datetime.datetime
    until: datetime.datetime
    # [(section, items, how many more)]
    sections: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    more_notifications: int = 0

    @property
    def is_empty(self):
        return not self.sections and not self.notifications

    @property
    def size(self):
        return (
            sum(len(items) + more for _s, items, more in self.sections)
            + len(self.notifications)
            + self.more_notifications
        )


def build_digests(frequency, users, since, until):
    """{user id: Digest} for people in one batch; `since` is {user id: start of their period}."""
    users = list(users)
    ids = [u.pk for u in users]
    places = audience.places_of(ids)
    chosen = {}
    for user_id, group, delivery in NotificationPreference.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "group", "delivery"):
        chosen.setdefault(user_id, {})[group] = delivery
    levels = {}
    for user_id, community_id, level in CommunityPreference.objects.filter(
        user_id__in=ids
    ).values_list("user_id", "community_id", "level"):
        levels.setdefault(user_id, {})[community_id] = level

    def delivery(user_id, group, role):
        return chosen.get(user_id, {}).get(group.key) or group.default_for(role)

    digests = {
        u.pk: Digest(user=u, frequency=frequency, since=since[u.pk], until=until) for u in users
    }
    for section in ordered(DIGEST_SECTIONS):
        group = get_group(section.group)
        readers = []
        for user in users:
            mine = places.get(user.pk, {})
            followed = frozenset(
                cid
                for cid, place in mine.items()
                if levels.get(user.pk, {}).get(cid, Level.ALL) == Level.ALL
                and delivery(user.pk, group, place.role) == frequency
            )
            if followed:
                readers.append(Reader(user, followed, mine, since[user.pk]))
        if not readers:
            continue
        found = section.collect(Batch(readers=readers, until=until, frequency=frequency))
        for reader in readers:
            items = found.get(reader.user.pk) or []
            if items:
                digests[reader.user.pk].sections.append(
                    (section, items[: section.limit], max(len(items) - section.limit, 0))
                )

    earliest = min(since.values()) if since else until
    notifications = Notification.objects.filter(
        recipient_id__in=ids,
        delivery=frequency,
        created_at__gt=earliest,
        created_at__lte=until,
    ).order_by("created_at", "id")
    for notification in notifications:
        digest = digests[notification.recipient_id]
        kind = KINDS.get(notification.kind)
        if kind is None or not kind.in_digest or notification.created_at <= digest.since:
            continue
        community_id = notification.community_id
        user_levels = levels.get(notification.recipient_id, {})
        if community_id is not None and user_levels.get(community_id) == Level.MUTE:
            continue
        still_there = community_id in places.get(notification.recipient_id, {})
        if community_id is not None and kind.member_only and not still_there:
            continue  # the person left: what it points to may be out of their reach now
        if len(digest.notifications) < NOTIFICATIONS_SHOWN:
            digest.notifications.append(notification)
        else:
            digest.more_notifications += 1
    return digests


# --- The email -----------------------------------------------------------------------------------


def digest_letter(digest):
    """The digest as an email, in the current language (the reader's, set by the caller)."""
    user = digest.user
    daily = digest.frequency == Delivery.DAILY
    count = digest.size
    if daily:
        subject = ngettext(
            "Your daily digest: %(count)s new item in your communities",
            "Your daily digest: %(count)s new items in your communities",
            count,
        ) % {"count": count}
    else:
        subject = ngettext(
            "Your weekly digest: %(count)s new item in your communities",
            "Your weekly digest: %(count)s new items in your communities",
            count,
        ) % {"count": count}
    context = {
        "recipient": user,
        "digest": digest,
        "daily": daily,
        "subject": subject,
        "site_url": settings.SITE_URL.rstrip("/"),
        "notifications": [
            (n, absolute_url(reverse("notifications:open", args=[n.pk])))
            for n in digest.notifications
        ],
        "notifications_link": absolute_url(reverse("notifications:list")),
        "settings_link": absolute_url(reverse("notifications:settings")),
        "unsubscribe_link": absolute_url(unsubscribe_path(user, f"digest:{digest.frequency}")),
        "group_labels": {key: group.label for key, group in GROUPS.items()},
    }
    return Letter(
        subject=subject,
        text=render_to_string("notifications/emails/digest.txt", context),
        html=render_to_string("notifications/emails/digest.html", context),
        unsubscribe=f"digest:{digest.frequency}",
    )


# --- Schedules and batches -----------------------------------------------------------------------


def ensure_schedules(now=None):
    """Give every active person without one a schedule (their digests at 7:00, on Mondays)."""
    from .services import new_schedule

    now = now or timezone.now()
    missing = get_user_model().objects.filter(is_active=True, digest_schedule__isnull=True)
    rows = [new_schedule(user, now) for user in missing.only("pk", "timezone")]
    DigestSchedule.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def claim_due(frequency, now):
    """Ids of the people whose digest is due, their next one planned at once (so that the next
    run of the scheduler does not take them again)."""
    from .services import next_slot, person_zone

    field_name = f"next_{frequency}_at"
    due = list(
        DigestSchedule.objects.filter(**{f"{field_name}__lte": now, "user__is_active": True})
        .select_related("user")
        .only("user_id", "hour", "weekday", field_name, "user__timezone")
        .order_by("user_id")
    )
    for schedule in due:
        weekday = schedule.weekday if frequency == Delivery.WEEKLY else None
        setattr(
            schedule, field_name, next_slot(now, person_zone(schedule.user), schedule.hour, weekday)
        )
    DigestSchedule.objects.bulk_update(due, [field_name], batch_size=1000)
    return [schedule.user_id for schedule in due]


def digest_key(frequency, user, until, run=""):
    from .services import person_zone

    local = until.astimezone(person_zone(user)).date()
    if frequency == Delivery.WEEKLY:
        year, week, _day = local.isocalendar()
        period = f"{year}-W{week:02d}"
    else:
        period = local.isoformat()
    return f"digest:{frequency}:{period}" + (f":{run}" if run else "")


def send_digest_batch(frequency, user_ids, until, *, run=""):
    """Compose and send the digests of a batch of people; returns (sent, empty) counts.

    Each copy has its idempotency key (the person's local date or week), so running a batch
    twice sends nothing twice. The period of every person of the batch then moves to `until`.
    """
    users = list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    schedules = {s.user_id: s for s in DigestSchedule.objects.filter(user_id__in=user_ids)}
    period = PERIODS[frequency]
    since = {}
    for user in users:
        schedule = schedules.get(user.pk)
        last = getattr(schedule, f"last_{frequency}_at", None) if schedule else None
        since[user.pk] = last or (until - period)
    digests = build_digests(frequency, users, since, until)
    full = {pk: d for pk, d in digests.items() if not d.is_empty}
    statuses = {}
    if full:
        statuses = send_letters(
            [(digest_key(frequency, d.user, until, run), d.user) for d in full.values()],
            lambda user: digest_letter(full[user.pk]),
        )
    DigestSchedule.objects.filter(user_id__in=[u.pk for u in users]).update(
        **{f"last_{frequency}_at": until}
    )
    sent = sum(1 for status in statuses.values() if status == "sent")
    return sent, len(users) - len(full)


def batches(ids, size=BATCH_SIZE):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
