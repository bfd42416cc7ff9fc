"""Keeping the index up to date: each save or deletion of a searchable object rewrites its row in
the same transaction (a person never finds something that is gone, nor misses what was just
written); `reindex` rebuilds a kind in batches for `manage.py search_reindex`."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import engines, kinds
from .models import MAX_TEXT_CHARS, SearchEntry
from .text import clean_text

# Set while a bulk job writes rows it indexes afterwards (seed_bench, imports).
_paused = False


class paused:
    """Skip per-object indexing inside the block (then run `search_reindex`)."""

    def __enter__(self):
        global _paused
        self.previous, _paused = _paused, True

    def __exit__(self, *exc):
        global _paused
        _paused = self.previous


def _entry_fields(kind, document):
    return {
        "community_id": document.community_id,
        "title": clean_text(document.title)[:300],
        "text": clean_text(document.text)[:MAX_TEXT_CHARS],
        "url": document.url[:400],
        "date": document.date,
        "public_when_published": document.public_when_published,
        "legacy": document.legacy,
        "shared_with": document.shared_with,
    }


def index_objects(kind, objects):
    """Write the rows of some objects of one kind (and drop those no longer searchable)."""
    entries, gone = [], []
    for obj in objects:
        document = kind.document(obj) if kind.applies(obj) else None
        if document is None:
            gone.append(obj.pk)
        else:
            entries.append(
                SearchEntry(kind=kind.key, object_id=obj.pk, **_entry_fields(kind, document))
            )
    if gone:
        remove(kind.key, gone)
    if entries:
        written = SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=[
                "community",
                "title",
                "text",
                "url",
                "date",
                "public_when_published",
                "legacy",
                "shared_with",
            ],
        )
        if not engines.is_postgres():
            # bulk_create on SQLite does not return the ids of updated rows.
            ids = dict(
                SearchEntry.objects.filter(
                    kind=kind.key, object_id__in=[e.object_id for e in written]
                ).values_list("object_id", "pk")
            )
            for entry in written:
                entry.pk = ids[entry.object_id]
            engines.write_fts(written)
    return len(entries)


def remove(kind_key, object_ids):
    entries = SearchEntry.objects.filter(kind=kind_key, object_id__in=object_ids)
    if not engines.is_postgres():
        engines.delete_fts(list(entries.values_list("pk", flat=True)))
    entries.delete()


def index_instance(instance):
    for kind in kinds.kinds_for_model(type(instance)):
        index_objects(kind, [instance])


# Saves that change nothing searchable (logins, counters kept by the services).
UNSEARCHED_FIELDS = {
    "last_login",
    "updated_at",
    "last_activity_at",
    "post_count",
    "last_post",
    "member_count",
    "members_per_circle",
    "reminder_sent_at",
    "reminded_at",
    "follow_up_reminded_at",
}


def _saved(sender, instance, raw=False, update_fields=None, **_kwargs):
    if raw or _paused or (update_fields and set(update_fields) <= UNSEARCHED_FIELDS):
        return
    index_instance(instance)
    label = sender._meta.label
    for kind in kinds.all_kinds():
        if label in kind.dependents:
            kind.dependents[label](instance)


def _deleted(sender, instance, **_kwargs):
    if _paused:
        return
    for kind in kinds.kinds_for_model(sender):
        remove(kind.key, [instance.pk])


def _people_changed(sender, instance, action, reverse, **_kwargs):
    """A person's skills or themes changed: their row in the directory search follows."""
    if _paused or action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    index_instance(instance)


def connect_signals():
    from cercles.accounts.models import User

    models = {kind.get_model() for kind in kinds.all_kinds()}
    models |= {apps.get_model(label) for kind in kinds.all_kinds() for label in kind.dependents}
    for model in models:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(
            _deleted, sender=model, dispatch_uid=f"search-delete-{model._meta.label}"
        )
    for through in (User.skills.through, User.themes.through):
        m2m_changed.connect(_people_changed, sender=through, dispatch_uid=f"search-{through}")


def reindex(kind, *, start_after=0, batch_size=500, on_batch=None):
    """Index every object of a kind in id order from `start_after`;
    `on_batch(last_id, objects_read)` after each batch (the command records it to resume)."""
    last_id = start_after
    indexed = read = 0
    while True:
        batch = list(kind.objects().filter(pk__gt=last_id).order_by("pk")[:batch_size])
        if not batch:
            return indexed
        with transaction.atomic():
            indexed += index_objects(kind, batch)
            read += len(batch)
            last_id = batch[-1].pk
            if on_batch:
                on_batch(last_id, read)
