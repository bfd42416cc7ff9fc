import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Long enough for a careful co-development problem, short enough to stay a post.
MAX_BODY_CHARS = 20_000
POSTS_PER_PAGE = 30
THREADS_PER_PAGE = 25


class ThreadKind(models.TextChoices):
    REGULAR = "regular", _("Discussion")
    CODEV = "codev", _("Co-development session")


class SessionState(models.TextChoices):
    """A co-development session's state, derived from its dates (never stored)."""

    OPEN = "open", _("Open")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
    CLOSED = "closed", _("Closed")


class PostKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    PROBLEM = "problem", _("Problem presented")
    SUGGESTION = "suggestion", _("Suggestion")
    FOLLOW_UP = "follow_up", _("What I did and what came of it")


class ThreadQuerySet(models.QuerySet):
    def for_list(self, user):
        """Threads with what a list shows: author, last post, and the person's unread marker."""
        reads = ThreadRead.objects.filter(thread=OuterRef("pk"), user=user.pk)
        return (
            self.select_related("author", "last_post__author")
            .annotate(
                last_read_post_id=Subquery(reads.values("last_read_post_id")[:1]),
                is_followed=Exists(
                    ThreadFollow.objects.filter(thread=OuterRef("pk"), user=user.pk)
                ),
            )
            .order_by("-pinned", "-last_activity_at", "-id")
        )

    def follow_up_due(self, now=None):
        now = now or timezone.now()
        return self.filter(kind=ThreadKind.CODEV, closed_at__isnull=True, follow_up_due_at__lte=now)


class Thread(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="threads"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ThreadKind.choices, default=ThreadKind.REGULAR
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    # Kept by the services so that lists need no aggregate per row.
    post_count = models.PositiveIntegerField(default=0)
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Co-development: the follow-up falls due some days after a suggestion is marked helpful.
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Seed 004: "un début officiel et une fin planifiée à l'avance". Set when the session starts:
    # peers suggest until `suggestions_close_on` (included); the presenter reports on
    # `follow_up_on`. Sessions started before issue 11 have neither.
    suggestions_close_on = models.DateField(_("suggestions close on"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow-up on"), null=True, blank=True)
    suggestions_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(
                fields=["community", "kind", "-pinned", "-last_activity_at"],
                name="thread_list_idx",
            ),
            models.Index(fields=["kind", "closed_at", "follow_up_due_at"], name="thread_due_idx"),
            # The newest across many communities (a member's home feed): walked newest first.
            models.Index(fields=["-last_activity_at"], name="thread_activity_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("discussions:thread", args=[self.community.slug, self.pk])

    @property
    def is_codev(self):
        return self.kind == ThreadKind.CODEV

    @property
    def session_state(self):
        if not self.is_codev:
            return ""
        if self.closed_at:
            return SessionState.CLOSED
        if self.follow_up_due_at and self.follow_up_due_at <= timezone.now():
            return SessionState.FOLLOW_UP_DUE
        return SessionState.OPEN

    @property
    def takes_suggestions(self):
        """An open session whose suggestions are not closed yet."""
        if not self.is_codev or self.closed_at:
            return False
        return self.suggestions_close_on is None or timezone.localdate() <= (
            self.suggestions_close_on
        )

    def get_session_state_display(self):
        state = self.session_state
        return SessionState(state).label if state else ""

    @property
    def has_unread(self):
        """Set on threads from `for_list()`: something was posted since the person last read."""
        last_read = getattr(self, "last_read_post_id", None)
        return self.last_post_id is not None and (
            last_read is None or self.last_post_id > last_read
        )


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=PostKind.choices, default=PostKind.MESSAGE
    )
    body = models.TextField(_("message"), max_length=MAX_BODY_CHARS)
    quoted = models.ForeignKey(
        "self",
        verbose_name=_("quoted post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason"), max_length=500, blank=True)
    marked_helpful = models.BooleanField(_("helped the presenter"), default=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["thread", "id"], name="post_thread_idx"),
            models.Index(fields=["author", "created_at"], name="post_author_idx"),
        ]

    def __str__(self):
        return f"{self.thread_id}#{self.pk}"

    def get_absolute_url(self):
        return reverse("discussions:post", args=[self.thread.community.slug, self.pk])

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class PostRevision(models.Model):
    """A post's text as it was before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    # The stored name says nothing of the original, which is kept in the row.
    extension = os.path.splitext(filename)[1].lower()
    return f"discussions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class ThreadFollow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_threads"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="unique_thread_follow")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.thread_id}"


class ThreadRead(models.Model):
    """How far a person has read a thread: every post with a greater id is unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_post_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="unique_thread_read")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.thread_id}: {self.last_read_post_id}"


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_person",
            )
        ]

    def __str__(self):
        return f"{self.post_id}: {self.reason[:40]}"

    @property
    def is_resolved(self):
        return self.resolved_at is not None
