"""What other apps put in the digests and in the personal part of mailings (the newsletter).

An app contributes a section with one function and one call, from its AppConfig.ready():

    def waiting_surveys(batch):
        # one or two queries for the whole batch of people, never one per person
        return {reader.user.pk: [Item(title, url, community=...)] for reader in batch.readers}

    register_personal_section("surveys.waiting", _("Surveys waiting for my answer"),
                              waiting_surveys, order=40)

A digest section (`register_digest_section`) belongs to a notification group: it appears in the
daily or the weekly digest of the people whose channel for that group is that digest, for the
communities they follow for everything. `reader.community_ids` are those communities, and
`reader.since` the start of the period the digest covers. A personal section sees every
community the person belongs to and has not muted. Sections only list what happened in
`reader.community_ids`, so nothing from a community the person left can appear.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from .audience import Place


@dataclass(frozen=True)
class Item:
    """One line of a section: a title and its link (a path of this site), with context."""

    title: str
    url: str
    community: str = ""
    # A short line under the title; a lazy string is translated in the reader's language.
    detail: object = ""
    when: datetime.datetime | None = None
    # The zone `when` was set in (a meeting's): the reader's zone is named when it differs.
    zone: str = ""

    @property
    def reader_zone_label(self):
        """ "Bamako (UTC+0)" when the email is read in another zone than the item's, else ""."""
        from django.utils import timezone

        from cercles.core.timezones import zone_label

        reader = timezone.get_current_timezone_name()
        return zone_label(reader) if self.when and self.zone and self.zone != reader else ""


@dataclass
class Reader:
    user: object
    community_ids: frozenset
    places: dict[int, Place]
    since: datetime.datetime | None = None


@dataclass
class Batch:
    """The people a section writes for at once, and the period."""

    readers: list[Reader]
    until: datetime.datetime
    frequency: str = ""

    @property
    def community_ids(self):
        return set().union(*(r.community_ids for r in self.readers)) if self.readers else set()

    @property
    def since(self):
        """The earliest start among the readers: query from it, then keep each reader's own."""
        starts = [r.since for r in self.readers if r.since is not None]
        return min(starts) if starts else None


@dataclass(frozen=True)
class Section:
    key: str
    label: Promise
    collect: Callable[[Batch], dict[int, list[Item]]]
    group: str = ""
    order: int = 100
    # At most this many items per person; the rest is counted ("and 4 more").
    limit: int = 8
    extra: dict = field(default_factory=dict, hash=False)


DIGEST_SECTIONS: dict[str, Section] = {}
PERSONAL_SECTIONS: dict[str, Section] = {}


def register_digest_section(key, label, collect, *, group, order=100, limit=8):
    from .kinds import get_group

    get_group(group)
    DIGEST_SECTIONS[key] = Section(key, label, collect, group, order, limit)


def register_personal_section(key, label, collect, *, order=100, limit=5):
    PERSONAL_SECTIONS[key] = Section(key, label, collect, "", order, limit)


def ordered(registry):
    return sorted(registry.values(), key=lambda s: (s.order, s.key))


def collect_personal(users, places, muted):
    """{user id: [(section, items, more)]} of every personal section, for a chunk of people.

    `places` is {user id: {community id: Place}}; `muted` is {user id: set of community ids}.
    """
    readers = [
        Reader(
            user=user,
            community_ids=frozenset(set(places.get(user.pk, {})) - muted.get(user.pk, set())),
            places=places.get(user.pk, {}),
        )
        for user in users
    ]
    batch = Batch(readers=readers, until=None)
    result = {user.pk: [] for user in users}
    for section in ordered(PERSONAL_SECTIONS):
        found = section.collect(batch)
        for user in users:
            items = found.get(user.pk) or []
            if items:
                result[user.pk].append(
                    (section, items[: section.limit], max(len(items) - section.limit, 0))
                )
    return result
