"""One row per searchable thing: what the engines match, rank and show.

The text index itself is made by the migrations for each engine (the `vector` column kept by a
trigger, with a GIN index, on PostgreSQL; an FTS5 table beside this one on SQLite): see
engines.py. Who may read a row is never stored here: it is decided at query time
from the community's state, visibility and memberships, so that leaving a community or a
change of visibility takes effect at once, without reindexing.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_TEXT_CHARS = 100_000


class Audience(models.TextChoices):
    """Who reads an item beyond the community's own readers (issue 11's per-item sharing)."""

    COMMUNITY = "", _("The community's readers")
    NETWORK = "network", _("The network")
    PUBLIC = "public", _("Anyone")


class SearchEntry(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=400)
    date = models.DateTimeField()
    # Readable beyond the community's content readers: delivered productions of public
    # communities, what a closed community keeps as its legacy, items shared on purpose.
    public_when_published = models.BooleanField(default=False)
    legacy = models.BooleanField(default=False)
    shared_with = models.CharField(max_length=10, blank=True, choices=Audience.choices)
    # PostgreSQL only: written by the trigger of migration 0002 (on SQLite, an unused column).
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_object")
        ]
        indexes = [
            # The most recent matches first: a common word is read in date order and stops early.
            models.Index(fields=["-date", "-id"], name="search_entry_date"),
            models.Index(fields=["community", "kind"], name="search_entry_community"),
            # Kinds few people read in bulk (a visitor's: presentations, productions) by date.
            models.Index(fields=["kind", "-date"], name="search_entry_kind_date"),
            # What a visitor may ever read (presentations, legacy, what is shared publicly),
            # by date: a visitor's search never walks the network's private discussions.
            models.Index(
                fields=["-date", "-id"],
                name="search_entry_public_date",
                condition=(
                    models.Q(kind="community")
                    | models.Q(legacy=True)
                    | models.Q(shared_with="public")
                    | models.Q(public_when_published=True)
                ),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


class ExtractedText(models.Model):
    """The text of an uploaded file (PDF, office document), read once by a job."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    # The stored file's name: a new upload makes the text stale.
    file_name = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_text_per_file")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class ReindexProgress(models.Model):
    """Where `search_reindex` stopped, kind by kind, so that it resumes after an interruption."""

    kind = models.CharField(max_length=20, unique=True)
    last_id = models.BigIntegerField(default=0)
    done = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.kind}: {self.last_id}"
