"""Rebuild the search index, kind by kind, in batches; resumes where it stopped.

manage.py search_reindex              # every kind, resuming an interrupted run
manage.py search_reindex --kind post  # one kind
manage.py search_reindex --restart    # from the start (forgets where it stopped)
"""

import time

from django.core.management.base import BaseCommand, CommandError

from cercles.search import kinds
from cercles.search.indexing import reindex
from cercles.search.models import ReindexProgress, SearchEntry


class Command(BaseCommand):
    help = "Rebuild the search index (both engines), resumable, with progress."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", help="Only this kind (repeatable).")
        parser.add_argument("--restart", action="store_true", help="Start again from zero.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, kind=None, restart=False, batch_size=500, verbosity=1, **options):
        selected = kinds.all_kinds()
        if kind:
            unknown = set(kind) - {k.key for k in selected}
            if unknown:
                known = ", ".join(k.key for k in selected)
                raise CommandError(f"Unknown kind {', '.join(sorted(unknown))}; known: {known}")
            selected = [k for k in selected if k.key in kind]
        if restart:
            ReindexProgress.objects.filter(kind__in=[k.key for k in selected]).delete()
        if not any(
            ReindexProgress.objects.filter(kind=k.key, done=False).exists() for k in selected
        ):
            # A new run: start every selected kind from zero.
            ReindexProgress.objects.filter(kind__in=[k.key for k in selected]).delete()
        for search_kind in selected:
            self.reindex_kind(search_kind, batch_size, verbosity)
        ReindexProgress.objects.filter(kind__in=[k.key for k in selected]).delete()

    def reindex_kind(self, kind, batch_size, verbosity):
        progress, _ = ReindexProgress.objects.get_or_create(kind=kind.key)
        if progress.done:
            self.stdout.write(f"{kind.key}: already done in this run")
            return
        total = kind.objects().count()
        remaining = kind.objects().filter(pk__gt=progress.last_id).count()
        if progress.last_id == 0:
            # Rows of objects deleted since the last index go with a full rebuild of the kind.
            stale = SearchEntry.objects.filter(kind=kind.key).exclude(
                object_id__in=kind.get_model()._default_manager.values("pk")
            )
            stale.delete()
            from cercles.search import engines

            if not engines.is_postgres():
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute(
                        "DELETE FROM search_fts WHERE rowid NOT IN "
                        "(SELECT id FROM search_searchentry)"
                    )
        started = time.monotonic()
        if progress.last_id:
            self.stdout.write(f"{kind.key}: resuming after id {progress.last_id}")

        def on_batch(last_id, count):
            progress.last_id = last_id
            progress.save(update_fields=["last_id", "updated_at"])
            if verbosity:
                elapsed = time.monotonic() - started
                percent = 100 * count // max(remaining, 1)
                self.stdout.write(
                    f"{kind.key}: {count}/{remaining} read, {percent} % ({elapsed:.0f} s)"
                )

        indexed = reindex(
            kind, start_after=progress.last_id, batch_size=batch_size, on_batch=on_batch
        )
        progress.done = True
        progress.save(update_fields=["done", "updated_at"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind.key}: {indexed} indexed of {total} in {time.monotonic() - started:.1f} s"
            )
        )
