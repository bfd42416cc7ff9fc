"""The library's part of the digests: new notes, files and links, productions delivered."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cercles.notifications.sections import Item, register_digest_section

from .models import Item as LibraryItem
from .models import Production, ProductionStatus


def library_news(batch):
    items = list(
        LibraryItem.objects.filter(
            community_id__in=batch.community_ids,
            created_at__gt=batch.since,
            created_at__lte=batch.until,
        )
        .order_by("created_at", "pk")
        .values("pk", "title", "kind", "created_at", "community_id", "community__slug",
                "community__title")
    )  # fmt: skip
    productions = list(
        Production.objects.filter(
            community_id__in=batch.community_ids,
            status=ProductionStatus.DELIVERED,
            delivered_at__gt=batch.since,
            delivered_at__lte=batch.until,
        )
        .order_by("delivered_at", "pk")
        .values("pk", "title", "delivered_at", "community_id", "community__slug",
                "community__title")
    )  # fmt: skip
    entries = [
        (
            row["community_id"],
            row["created_at"],
            Item(
                title=row["title"],
                url=reverse("library:item_detail", args=[row["community__slug"], row["pk"]]),
                community=row["community__title"],
                when=row["created_at"],
            ),
        )
        for row in items
    ] + [
        (
            row["community_id"],
            row["delivered_at"],
            Item(
                title=row["title"],
                url=reverse("library:production_detail", args=[row["community__slug"], row["pk"]]),
                community=row["community__title"],
                detail=_("Production delivered"),
                when=row["delivered_at"],
            ),
        )
        for row in productions
    ]
    entries.sort(key=lambda e: e[1])
    found = {}
    for reader in batch.readers:
        for community_id, when, item in entries:
            if community_id in reader.community_ids and when > reader.since:
                found.setdefault(reader.user.pk, []).append(item)
    return found


def register():
    register_digest_section(
        "library.news", _("New in the library"), library_news, group="library", order=30
    )
