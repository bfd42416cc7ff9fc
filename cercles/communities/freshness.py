"""What a community's home shows of it, remembered in the cache until the community changes.

The facts beside the discussions (its stage of life, its value stories, its mentors, who joined
through whom, its season, its milestones, the latest progress update) change a few times a month
and are read at every visit: each is computed once per *version* of the community and shared by
every person who may see it. The version is a number in the cache, renewed whenever a row
belonging to the community is saved or deleted (a `community_id` column, or a model tracked with
`track()`), at once and again when the transaction commits, so that nobody keeps a reading made
while the change was under way.

Rules for what goes in: data, never rendered HTML (no CSRF token, no nonce, no other person's
marks); only what is the same for everyone allowed to see it — what depends on the person's
rights is chosen with `vary` (e.g. the lead's overdue task counts), permission checks stay
outside; only rows reached from the community by saved models (a `queryset.update()` does not
send signals: call `changed()` beside it). The date and the language are part of every key.
A cache outage reads as an empty cache: the facts are then computed at every visit.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

LIFETIME = 6 * 3600  # seconds a remembered fact is kept (the version changes before, usually)
VERSION_LIFETIME = 7 * 24 * 3600
MISSING = object()

# model → function(instance) → the community's id, for rows without a community_id column.
TRACKED = {}


def _version_key(community_id):
    return f"community-version:{community_id}"


def version_of(community_id):
    """The community's current version, memoised by the caller; None when the cache is away."""
    key = _version_key(community_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns(), VERSION_LIFETIME)
        version = cache.get(key)
    return version


def changed(community_id):
    """Forget every fact remembered of the community (now, and once the change is committed)."""
    if community_id is None:
        return

    def renew():
        cache.set(_version_key(community_id), time.time_ns(), VERSION_LIFETIME)

    renew()
    transaction.on_commit(renew)


def remembered(community, name, compute, *, vary=()):
    """compute(), remembered for this version of the community, this day and this language."""
    version = getattr(community, "_facts_version", None)
    if version is None:
        version = version_of(community.pk)
        community._facts_version = version
    if version is None:
        return compute()
    parts = [name, community.pk, version, timezone.localdate().isoformat()]
    parts += [translation.get_language() or "", *map(str, vary)]
    key = "community-facts:" + ":".join(map(str, parts))
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(key, value, LIFETIME)
    return value


def track(model, community_id_of):
    """Rows of `model` belong to a community reached through another row (a task through its
    milestone): `community_id_of(instance)` says which."""
    TRACKED[model] = community_id_of


def track_through(model, parent):
    """Rows of `model` belong to the community of their `parent` row (a post to its thread's):
    read from the parent when the row holds it already, else with one small query."""
    field = model._meta.get_field(parent)
    descriptor = getattr(model, parent)

    def community_id_of(instance):
        if descriptor.is_cached(instance):
            related = getattr(instance, parent)
            return related.community_id if related is not None else None
        parent_id = getattr(instance, field.attname)
        if parent_id is None:
            return None
        rows = field.related_model._default_manager.filter(pk=parent_id)
        return rows.values_list("community_id", flat=True).first()

    track(model, community_id_of)


def _on_change(sender, instance, **kwargs):
    if kwargs.get("raw"):  # fixtures loading
        return
    from .models import Community

    if sender is Community:
        changed(instance.pk)
        return
    if sender in TRACKED:
        changed(TRACKED[sender](instance))
        return
    community_id = getattr(instance, "community_id", None)
    if community_id is not None:
        changed(community_id)


def connect():
    post_save.connect(_on_change, dispatch_uid="community-facts-saved")
    post_delete.connect(_on_change, dispatch_uid="community-facts-deleted")
