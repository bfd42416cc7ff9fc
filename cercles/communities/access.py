"""Readers of a community who are not its members: upper apps (mentoring: the mentors and the
third-party guests of an accompaniment) register who else reads a community's content, without
the communities app knowing them.

`register_reader(reads, community_ids)`: `reads(user, community)` says whether the person reads
that community; `community_ids(user)` gives a queryset (or list) of the ids of every community the
person reads that way, for `Community.objects.visible_to`.
"""

READERS = []


def register_reader(reads, community_ids):
    READERS.append((reads, community_ids))


def is_extra_reader(user, community):
    if community is None or not user.is_authenticated:
        return False
    cache = community.__dict__.setdefault("_extra_reader_cache", {})
    if user.pk not in cache:
        cache[user.pk] = any(reads(user, community) for reads, _ids in READERS)
    return cache[user.pk]


def extra_community_ids(user):
    """[queryset or list of ids] of the communities the person reads beside their own."""
    return [ids(user) for _reads, ids in READERS]
