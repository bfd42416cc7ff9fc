import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from cercles.core.audit import record_event

from . import audience
from .kinds import DIGESTS, GROUPS, Delivery, Level, all_groups, get_group, get_kind
from .models import CommunityPreference, DigestSchedule, Notification, NotificationPreference
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


def notify(recipients, kind, *, actor=None, url="", community_id=None, **params):
    """Tell each recipient about something, in the app and, if they wish, by email or digest.

    `recipients` is one person or an iterable of people (a queryset is read once); the actor,
    inactive people and duplicates are skipped, as are people who turned this kind's group off,
    muted the community (`community_id`, the community it is about) or follow it for "only what
    concerns me" when the kind does not. `kind` is a registered key ("community.submitted") or a
    `Kind`. `url` is a path of this site. `params` are the message's plain values
    (`community="Eau au Sahel"`); `actor` is added from the actor's name. Emails are queued when
    the surrounding transaction commits. Returns the notifications stored. Costs two queries
    (preferences, insert) whatever the number of recipients, two more with a community (levels,
    roles).
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

    deliveries = deliveries_for(list(people), kind, community_id)
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=person,
            kind=kind.key,
            actor=actor,
            url=url,
            params=params,
            community_id=community_id,
            delivery=deliveries[pk],
        )
        for pk, person in people.items()
        if deliveries[pk] != Delivery.OFF
    )
    to_email = [n.pk for n in notifications if n.delivery == Delivery.IMMEDIATE]
    if to_email:
        # robust: a queue outage must not turn a committed change into an error page.
        transaction.on_commit(lambda: _queue_emails(to_email), robust=True)
    return notifications


def deliveries_for(user_ids, kind, community_id=None):
    """{user id: delivery} of one kind about one community (or none), OFF when not to be told."""
    kind = get_kind(kind)
    group = get_group(kind.group)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, group=group.key).values_list(
            "user_id", "delivery"
        )
    )
    levels, roles = {}, {}
    if community_id is not None:
        levels = dict(
            CommunityPreference.objects.filter(
                user_id__in=user_ids, community_id=community_id
            ).values_list("user_id", "level")
        )
        undecided = [pk for pk in user_ids if pk not in chosen and levels.get(pk) != Level.MUTE]
        roles = audience.roles_in(community_id, undecided)
    deliveries = {}
    for pk in user_ids:
        level = levels.get(pk, Level.ALL)
        if level == Level.MUTE or (level == Level.MINE and not kind.personal):
            deliveries[pk] = Delivery.OFF
        else:
            deliveries[pk] = chosen.get(pk) or group.default_for(roles.get(pk, ""))
    return deliveries


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


def delivery_for(user, kind, community_id=None):
    """The channel by which the person hears of one kind (about one community)."""
    return deliveries_for([user.pk], kind, community_id)[user.pk]


def preferences_of(user):
    """{group key: delivery chosen, or "" where the defaults by role apply} for every group."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("group", "delivery"))
    return {group.key: chosen.get(group.key, "") for group in all_groups()}


def _group_key(kind_or_group):
    if kind_or_group in GROUPS:
        return kind_or_group
    return get_kind(kind_or_group).group


def set_preference(user, kind_or_group, delivery):
    """Choose the channel of a group (or of the group of a kind); "" goes back to the defaults."""
    group = get_group(_group_key(kind_or_group))
    if delivery == "":
        NotificationPreference.objects.filter(user=user, group=group.key).delete()
        return None
    if delivery not in dict(group.choices):
        raise ValidationError(f"unknown delivery {delivery!r} for {group.key!r}")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, group=group.key, defaults={"delivery": delivery}
    )
    return preference


def set_community_level(user, community_id, level):
    if level not in Level.values:
        raise ValidationError(f"unknown level {level!r}")
    if level == Level.ALL:
        CommunityPreference.objects.filter(user=user, community_id=community_id).delete()
    else:
        CommunityPreference.objects.update_or_create(
            user=user, community_id=community_id, defaults={"level": level}
        )


def levels_of(user):
    """{community id: level} where the person chose other than following everything."""
    return dict(CommunityPreference.objects.filter(user=user).values_list("community_id", "level"))


@transaction.atomic
def set_preferences(user, deliveries, *, levels=None, hour=None, weekday=None):
    """Save the settings page: {group: delivery or ""}, {community id: level}, digest time.

    Only what changed is written. Levels are accepted only for the person's own communities.
    """
    if not user.has_perm("notifications.change_preferences"):
        raise PermissionDenied
    current = preferences_of(user)
    changed = []
    for key, delivery in deliveries.items():
        if current.get(key) != delivery:
            set_preference(user, key, delivery)
            changed.append(key)
    if levels:
        mine = audience.places_of([user.pk]).get(user.pk, {})
        current_levels = levels_of(user)
        for community_id, level in levels.items():
            if community_id not in mine:
                raise PermissionDenied
            if current_levels.get(community_id, Level.ALL) != level:
                set_community_level(user, community_id, level)
                changed.append(f"community:{community_id}")
    if hour is not None or weekday is not None:
        schedule = schedule_of(user)
        if (hour, weekday) != (schedule.hour, schedule.weekday):
            schedule.hour = schedule.hour if hour is None else hour
            schedule.weekday = schedule.weekday if weekday is None else weekday
            plan_next_digests(schedule, user, timezone.now())
            schedule.full_clean()
            schedule.save()
            changed.append("schedule")
    if changed:
        record_event(user, "notifications.settings", user, changed=changed)
    return changed


# --- Digest schedules ----------------------------------------------------------------------------


def person_zone(user):
    try:
        return zoneinfo.ZoneInfo(user.timezone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def next_slot(now, zone, hour, weekday=None):
    """The first moment after `now` that is `hour`:00 in `zone` (on `weekday`, 0 = Monday)."""
    local = now.astimezone(zone)
    day = local.date()
    for _ in range(8):
        candidate = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
        if candidate > local and (weekday is None or candidate.weekday() == weekday):
            return candidate.astimezone(datetime.UTC)
        day += datetime.timedelta(days=1)
    raise AssertionError("a week always holds the day")


def plan_next_digests(schedule, user, now):
    zone = person_zone(user)
    schedule.next_daily_at = next_slot(now, zone, schedule.hour)
    schedule.next_weekly_at = next_slot(now, zone, schedule.hour, schedule.weekday)


def new_schedule(user, now=None):
    schedule = DigestSchedule(user=user)
    plan_next_digests(schedule, user, now or timezone.now())
    return schedule


def schedule_of(user):
    schedule = DigestSchedule.objects.filter(user=user).first()
    if schedule is None:
        schedule = new_schedule(user)
        schedule.save()
    return schedule


# --- Unsubscribing -------------------------------------------------------------------------------


@transaction.atomic
def unsubscribe(user, scope):
    """Stop the emails one unsubscribe link is about; returns the groups changed.

    "group:<key>" stops that group's emails (in the app only; the newsletter: never);
    "digest:daily" or "digest:weekly" moves the groups that fill that digest to the app only.
    """
    kind, _sep, value = scope.partition(":")
    if kind == "group":
        group = get_group(value)
        targets = {group.key: Delivery.OFF if group.mailing else Delivery.IN_APP}
    elif kind == "digest" and value in DIGESTS:
        targets = {
            group.key: Delivery.IN_APP
            for group in all_groups()
            if not group.mailing and value in _deliveries_of_group(user, group)
        }
    else:
        raise ValidationError(f"unknown unsubscribe scope {scope!r}")
    current = preferences_of(user)
    changed = [key for key, delivery in targets.items() if current.get(key) != delivery]
    for key in changed:
        set_preference(user, key, targets[key])
    if changed:
        record_event(user, "notifications.unsubscribed", user, scope=scope, changed=changed)
    return changed


def _deliveries_of_group(user, group):
    """Every channel by which the person may hear of a group, across their roles."""
    chosen = preferences_of(user)[group.key]
    if chosen:
        return {chosen}
    roles = {place.role for place in audience.places_of([user.pk]).get(user.pk, {}).values()}
    return {group.default_for(role) for role in roles | {""}}
