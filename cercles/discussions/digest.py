"""The discussions' part of the digests: threads started in the communities a person follows."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cercles.notifications.sections import Item, register_digest_section

from .models import Thread, ThreadKind


def new_threads(batch):
    rows = list(
        Thread.objects.filter(
            community_id__in=batch.community_ids,
            created_at__gt=batch.since,
            created_at__lte=batch.until,
        )
        .order_by("created_at", "pk")
        .values(
            "pk", "title", "kind", "created_at", "community_id", "community__slug",
            "community__title", "author__display_name",
        )
    )  # fmt: skip
    found = {}
    for reader in batch.readers:
        for row in rows:
            if row["community_id"] in reader.community_ids and row["created_at"] > reader.since:
                detail = _("Co-development session") if row["kind"] == ThreadKind.CODEV else ""
                found.setdefault(reader.user.pk, []).append(
                    Item(
                        title=row["title"],
                        url=reverse("discussions:thread", args=[row["community__slug"], row["pk"]]),
                        community=row["community__title"],
                        detail=detail,
                        when=row["created_at"],
                    )
                )
    return found


def register():
    register_digest_section(
        "discussions.new_threads", _("New threads"), new_threads, group="discussions", order=10
    )
