"""The meetings' part of the digests and of the newsletter's personal part."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cercles.notifications.sections import (
    Item,
    register_digest_section,
    register_personal_section,
)

from .models import Meeting

FIELDS = ("pk", "title", "starts_at", "community_id", "community__slug", "community__title",
          "place", "online_url", "time_zone")  # fmt: skip
UPCOMING_DAYS = 30


def _item(row, detail=""):
    return Item(
        title=row["title"],
        url=reverse("meetings:detail", args=[row["community__slug"], row["pk"]]),
        community=row["community__title"],
        detail=detail or (_("Online") if row["online_url"] and not row["place"] else row["place"]),
        when=row["starts_at"],
        zone=row["time_zone"],
    )


def meetings_coming(batch):
    """Digest: meetings starting before the next digest of the same kind."""
    ahead = datetime.timedelta(days=1 if batch.frequency == "daily" else 7)
    rows = list(
        Meeting.objects.filter(
            community_id__in=batch.community_ids,
            cancelled_at__isnull=True,
            starts_at__gt=batch.until,
            starts_at__lte=batch.until + ahead,
        )
        .order_by("starts_at", "pk")
        .values(*FIELDS)
    )
    return _spread(batch, rows, lambda reader, row: True)


def minutes_published(batch):
    rows = list(
        Meeting.objects.filter(
            community_id__in=batch.community_ids,
            minutes_published_at__gt=batch.since,
            minutes_published_at__lte=batch.until,
        )
        .order_by("minutes_published_at", "pk")
        .values(*FIELDS, "minutes_published_at")
    )
    return _spread(
        batch,
        rows,
        lambda reader, row: row["minutes_published_at"] > reader.since,
        detail=_("Minutes published"),
    )


def my_upcoming_meetings(batch):
    """Personal part: the next meetings of my communities."""
    now = timezone.now()
    rows = list(
        Meeting.objects.filter(
            community_id__in=batch.community_ids,
            cancelled_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .order_by("starts_at", "pk")
        .values(*FIELDS)
    )
    return _spread(batch, rows, lambda reader, row: True)


def _spread(batch, rows, keep, detail=""):
    found = {}
    for reader in batch.readers:
        for row in rows:
            if row["community_id"] in reader.community_ids and keep(reader, row):
                found.setdefault(reader.user.pk, []).append(_item(row, detail))
    return found


def register():
    register_digest_section(
        "meetings.coming", _("Meetings coming"), meetings_coming, group="meetings", order=20
    )
    register_digest_section(
        "meetings.minutes", _("Minutes published"), minutes_published, group="meetings", order=25
    )
    register_personal_section(
        "meetings.upcoming", _("My upcoming meetings"), my_upcoming_meetings, order=20
    )
