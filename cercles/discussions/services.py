"""Every write to discussions goes through one of these functions.

Each checks the permission itself (PermissionDenied), refuses bad input with a translated
ValidationError, writes in one transaction with an audit event, and notifies on commit.
"""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cercles.accounts.models import User
from cercles.communities.archive import ensure_writable
from cercles.communities.models import Membership, MembershipStatus, Role
from cercles.communities.services import active_members_of
from cercles.core.audit import record_event
from cercles.core.uploads import CONTENT_TYPES, validate_upload
from cercles.notifications.services import notify

from .models import (
    MAX_BODY_CHARS,
    Attachment,
    Post,
    PostKind,
    PostRevision,
    Report,
    Thread,
    ThreadFollow,
    ThreadKind,
    ThreadRead,
)

MAX_TITLE_CHARS = 200
MAX_ATTACHMENTS = 5
# Co-development: days between the first helpful suggestion and the follow-up reminder; also
# the default time between the close of suggestions and the follow-up.
FOLLOW_UP_DAYS = 14
# Co-development: default days during which peers post suggestions.
SUGGESTION_DAYS = 14
# Circles come alive: an outer-circle member with this many posts in this many days.
ACTIVE_POSTS = 3
ACTIVE_DAYS = 60
MODERATOR_ROLES = (Role.LEAD, Role.CO_LEAD, Role.CORE)

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.+-]*)")


def _require(actor, permission, obj):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write something before posting."), code="empty")
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            _("A post holds at most %(limit)s characters; this one has %(count)s.")
            % {"limit": MAX_BODY_CHARS, "count": len(body)},
            code="too_long",
        )
    return body


def _clean_title(title):
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(_("Give the thread a title."), code="empty_title")
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError(
            _("A title holds at most %(limit)s characters.") % {"limit": MAX_TITLE_CHARS},
            code="title_too_long",
        )
    return title


def _check_uploads(uploads):
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("At most %(count)s files per post.") % {"count": MAX_ATTACHMENTS}, code="too_many"
        )
    return [(upload, validate_upload(upload)) for upload in uploads]


def _thread_url(thread):
    return thread.get_absolute_url()


def _params(thread):
    return {
        "thread": thread.title,
        "community": thread.community.title,
        "community_id": thread.community_id,
    }


def mentioned_members(community, body, *, exclude=None):
    """Active members of the community named as @username in the text."""
    names = {m.rstrip(".-+") for m in MENTION_RE.findall(body or "")}
    names.discard("")
    if not names:
        return []
    people = User.objects.filter(
        username__in=names,
        is_active=True,
        memberships__community=community,
        memberships__status=MembershipStatus.ACTIVE,
    ).distinct()
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def _follow(user, thread):
    ThreadFollow.objects.get_or_create(user=user, thread=thread)


def _mark_read_up_to(user, thread, post_id):
    updated = ThreadRead.objects.filter(
        user=user, thread=thread, last_read_post_id__lt=post_id
    ).update(last_read_post_id=post_id, read_at=timezone.now())
    if not updated:
        ThreadRead.objects.get_or_create(
            user=user, thread=thread, defaults={"last_read_post_id": post_id}
        )


def _create_post(actor, thread, body, *, kind=PostKind.MESSAGE, quoted=None, uploads=()):
    now = timezone.now()
    post = Post(thread=thread, author=actor, body=body, kind=kind, quoted=quoted, created_at=now)
    post.full_clean(exclude=["thread", "author", "quoted"])
    post.save()
    for upload, extension in uploads:
        Attachment.objects.create(
            post=post,
            file=upload,
            original_name=upload.name[-200:],
            size=upload.size,
            content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        )
    Thread.objects.filter(pk=thread.pk).update(
        post_count=F("post_count") + 1, last_post=post, last_activity_at=now
    )
    thread.post_count += 1
    thread.last_post = post
    thread.last_activity_at = now
    _follow(actor, thread)
    _mark_read_up_to(actor, thread, post.pk)
    return post


MENTION_NOTE_LENGTH = 600


def mention_note(body):
    """The message that mentions someone, as their notification and email quote it."""
    return Truncator(body.strip()).chars(MENTION_NOTE_LENGTH)


def _notify_new_post(actor, thread, post):
    """Mentioned people get a mention, the presenter a suggestion, other followers a reply."""
    community = thread.community
    mentioned = mentioned_members(community, post.body, exclude=actor)
    told = {p.pk for p in mentioned} | {actor.pk}
    url = post.get_absolute_url()
    params = _params(thread)
    presenter = None
    if post.kind == PostKind.SUGGESTION and thread.author_id and thread.author_id not in told:
        presenter = thread.author
        told.add(presenter.pk)
    followers = list(
        User.objects.filter(
            followed_threads__thread=thread,
            is_active=True,
            memberships__community=community,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(pk__in=told)
        .distinct()
    )
    kind = "discussions.session_closed" if post.kind == PostKind.FOLLOW_UP else "discussions.reply"

    def send():
        if mentioned:
            notify(
                mentioned,
                "discussions.mentioned",
                actor=actor,
                url=url,
                note=mention_note(post.body),
                **params,
            )
        if presenter is not None:
            notify(presenter, "discussions.suggestion", actor=actor, url=url, **params)
        if followers:
            notify(followers, kind, actor=actor, url=url, **params)

    transaction.on_commit(send)


def _announce_thread(actor, thread, post):
    """Tell the community's members that a thread started (those it mentions hear it so)."""
    community = thread.community
    mentioned = {p.pk for p in mentioned_members(community, post.body, exclude=actor)}
    members = [
        person
        for person in active_members_of(community).exclude(pk=actor.pk)
        if person.pk not in mentioned
    ]
    if not members:
        return
    url, params = thread.get_absolute_url(), _params(thread)
    thread_kind = "codev" if thread.is_codev else "discussion"
    transaction.on_commit(
        lambda: notify(
            members,
            "discussions.new_thread",
            actor=actor,
            url=url,
            thread_kind=thread_kind,
            **params,
        )
    )


@transaction.atomic
def start_thread(actor, community, *, title, body, uploads=()):
    ensure_writable(community)
    _require(actor, "discussions.start_thread", community)
    title, body, checked = _clean_title(title), _clean_body(body), _check_uploads(uploads)
    thread = Thread.objects.create(community=community, author=actor, title=title)
    post = _create_post(actor, thread, body, uploads=checked)
    record_event(actor, "discussions.thread_started", thread, community=community.slug)
    _notify_new_post(actor, thread, post)
    _announce_thread(actor, thread, post)
    return thread


def session_date_problems(suggestions_close_on, follow_up_on, today=None):
    """{field: [message]} for the planned end of a co-development session (seed 004)."""
    today = today or timezone.localdate()
    problems = {}
    if suggestions_close_on is not None and suggestions_close_on < today:
        problems["suggestions_close_on"] = [_("The suggestions cannot close in the past.")]
    if suggestions_close_on and follow_up_on and follow_up_on <= suggestions_close_on:
        problems["follow_up_on"] = [
            _("The follow-up comes after the suggestions close: choose a later date.")
        ]
    return problems


def default_session_dates(today=None):
    today = today or timezone.localdate()
    return (
        today + datetime.timedelta(days=SUGGESTION_DAYS),
        today + datetime.timedelta(days=SUGGESTION_DAYS + FOLLOW_UP_DAYS),
    )


@transaction.atomic
def start_codev(
    actor,
    community,
    *,
    title,
    context,
    question,
    tried="",
    uploads=(),
    suggestions_close_on=None,
    follow_up_on=None,
):
    """Present a problem to peers: a co-development session whose first post is the problem,
    with a planned end announced at once: when suggestions close and when the presenter reports
    what they did (seed 004: "un début officiel et une fin planifiée à l'avance")."""
    ensure_writable(community)
    _require(actor, "discussions.start_thread", community)
    default_close, default_follow_up = default_session_dates()
    suggestions_close_on = suggestions_close_on or default_close
    follow_up_on = follow_up_on or max(
        default_follow_up, suggestions_close_on + datetime.timedelta(days=FOLLOW_UP_DAYS)
    )
    problems = session_date_problems(suggestions_close_on, follow_up_on)
    if problems:
        raise ValidationError(problems)
    title = _clean_title(title)
    parts = [
        (_("Context"), context),
        (_("My question"), question),
        (_("What I already tried"), tried),
    ]
    for label, text in parts[:2]:
        if not (text or "").strip():
            raise ValidationError(_("Fill in “%(part)s”.") % {"part": label}, code="empty")
    body = "\n\n".join(f"### {label}\n\n{text.strip()}" for label, text in parts if text.strip())
    body = _clean_body(body)
    checked = _check_uploads(uploads)
    body += (
        "\n\n### "
        + _("Calendar of the session")
        + "\n\n"
        + (
            _("Suggestions until %(close)s; follow-up on %(follow_up)s.")
            % {
                "close": formats.date_format(suggestions_close_on, "DATE_FORMAT"),
                "follow_up": formats.date_format(follow_up_on, "DATE_FORMAT"),
            }
        )
    )
    thread = Thread.objects.create(
        community=community,
        author=actor,
        title=title,
        kind=ThreadKind.CODEV,
        suggestions_close_on=suggestions_close_on,
        follow_up_on=follow_up_on,
        follow_up_due_at=_start_of(follow_up_on),
    )
    post = _create_post(actor, thread, body, kind=PostKind.PROBLEM, uploads=checked)
    record_event(actor, "discussions.codev_started", thread, community=community.slug)
    _announce_thread(actor, thread, post)
    return thread


@transaction.atomic
def reply(actor, thread, *, body, quoted=None, uploads=()):
    """Reply in a thread; in an open co-development session, a peer's reply is a suggestion."""
    if thread.locked and actor.has_perm("discussions.view_thread", thread):
        raise ValidationError(_("This thread is locked: it takes no new replies."), code="locked")
    ensure_writable(thread)
    _require(actor, "discussions.reply", thread)
    body, checked = _clean_body(body), _check_uploads(uploads)
    if quoted is not None and quoted.thread_id != thread.pk:
        raise ValidationError(_("You can only quote a post of the same thread."), code="quote")
    kind = PostKind.MESSAGE
    if thread.takes_suggestions and thread.author_id != actor.pk:
        kind = PostKind.SUGGESTION
    post = _create_post(actor, thread, body, kind=kind, quoted=quoted, uploads=checked)
    record_event(actor, "discussions.replied", post, thread=thread.pk)
    _notify_new_post(actor, thread, post)
    return post


@transaction.atomic
def edit_post(actor, post, *, body):
    ensure_writable(post)
    _require(actor, "discussions.edit_post", post)
    body = _clean_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=actor)
    thread = post.thread
    already = {person.pk for person in mentioned_members(thread.community, post.body)}
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    record_event(actor, "discussions.post_edited", post, thread=post.thread_id)
    # People mentioned by the edit are told, as they would have been in a new post; those the
    # post named already were told when it was written.
    newly = [
        person
        for person in mentioned_members(thread.community, body, exclude=actor)
        if person.pk not in already
    ]
    if newly:
        url, params = post.get_absolute_url(), _params(thread)
        transaction.on_commit(
            lambda: notify(
                newly,
                "discussions.mentioned",
                actor=actor,
                url=url,
                note=mention_note(body),
                **params,
            )
        )
    return post


@transaction.atomic
def delete_post(actor, post):
    """Delete a post's content; a placeholder stays so that the thread still reads."""
    ensure_writable(post)
    _require(actor, "discussions.delete_post", post)
    for attachment in post.attachments.all():
        attachment.file.delete(save=False)
    post.attachments.all().delete()
    post.revisions.all().delete()
    post.body = ""
    post.deleted_at = timezone.now()
    post.marked_helpful = False
    post.save(update_fields=["body", "deleted_at", "marked_helpful"])
    record_event(actor, "discussions.post_deleted", post, thread=post.thread_id)
    return post


@transaction.atomic
def hide_post(actor, post, *, reason):
    ensure_writable(post)
    _require(actor, "discussions.hide_post", post)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Say why the post is hidden: its author is told."), code="reason")
    post.hidden_at = timezone.now()
    post.hidden_by = actor
    post.hidden_reason = reason[:500]
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=post.hidden_at, resolved_by=actor
    )
    record_event(actor, "discussions.post_hidden", post, reason=post.hidden_reason)
    thread = post.thread
    if post.author_id:
        author, url = post.author, post.get_absolute_url()
        transaction.on_commit(
            lambda: notify(
                author,
                "discussions.hidden",
                actor=actor,
                url=url,
                note=post.hidden_reason,
                **_params(thread),
            )
        )
    return post


@transaction.atomic
def unhide_post(actor, post):
    ensure_writable(post)
    if not actor.has_perm("discussions.moderate", post.thread.community) or not post.is_hidden:
        raise PermissionDenied
    post.hidden_at, post.hidden_by, post.hidden_reason = None, None, ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    record_event(actor, "discussions.post_unhidden", post)
    return post


def moderators_of(community):
    return User.objects.filter(
        is_active=True,
        memberships__community=community,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=MODERATOR_ROLES,
    ).distinct()


@transaction.atomic
def report_post(actor, post, *, reason):
    ensure_writable(post)
    _require(actor, "discussions.report_post", post)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what is wrong with this post."), code="reason")
    if len(reason) > 2000:
        raise ValidationError(_("Keep the reason under 2,000 characters."), code="reason")
    try:
        with transaction.atomic():
            report = Report.objects.create(post=post, reporter=actor, reason=reason)
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this post; the moderators will look at it."),
            code="duplicate",
        ) from None
    record_event(actor, "discussions.post_reported", post, reason=reason)
    thread = post.thread
    moderators = list(moderators_of(thread.community))
    url = post.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            moderators, "discussions.reported", actor=actor, url=url, note=reason, **_params(thread)
        )
    )
    return report


@transaction.atomic
def resolve_report(actor, report):
    _require(actor, "discussions.resolve_report", report)
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = actor
        report.save(update_fields=["resolved_at", "resolved_by"])
        record_event(actor, "discussions.report_resolved", report.post, report=report.pk)
    return report


@transaction.atomic
def set_pinned(actor, thread, pinned):
    ensure_writable(thread)
    _require(actor, "discussions.pin_thread", thread)
    thread.pinned = bool(pinned)
    thread.save(update_fields=["pinned"])
    record_event(actor, "discussions.thread_pinned", thread, pinned=thread.pinned)
    return thread


@transaction.atomic
def set_locked(actor, thread, locked):
    ensure_writable(thread)
    _require(actor, "discussions.lock_thread", thread)
    thread.locked = bool(locked)
    thread.save(update_fields=["locked"])
    record_event(actor, "discussions.thread_locked", thread, locked=thread.locked)
    return thread


def follow(actor, thread):
    _require(actor, "discussions.follow_thread", thread)
    _follow(actor, thread)


def unfollow(actor, thread):
    _require(actor, "discussions.follow_thread", thread)
    ThreadFollow.objects.filter(user=actor, thread=thread).delete()


def mark_read(actor, thread, post_id=None):
    """Mark the thread read up to a post (its last one by default)."""
    if not actor.is_authenticated:
        return
    post_id = post_id or thread.last_post_id
    if post_id:
        _mark_read_up_to(actor, thread, post_id)


@transaction.atomic
def mark_helpful(actor, post, helpful=True):
    """The presenter marks a suggestion that helped; the follow-up then falls due in some days."""
    ensure_writable(post)
    _require(actor, "discussions.mark_helpful", post)
    post.marked_helpful = bool(helpful)
    post.save(update_fields=["marked_helpful"])
    thread = post.thread
    if helpful and thread.follow_up_due_at is None:
        thread.follow_up_due_at = timezone.now() + datetime.timedelta(days=FOLLOW_UP_DAYS)
        thread.save(update_fields=["follow_up_due_at"])
    record_event(actor, "discussions.marked_helpful", post, helpful=post.marked_helpful)
    return post


@transaction.atomic
def post_follow_up(actor, thread, *, body, uploads=()):
    """The presenter tells what they did and what came of it, which closes the session."""
    ensure_writable(thread)
    _require(actor, "discussions.post_follow_up", thread)
    body, checked = _clean_body(body), _check_uploads(uploads)
    post = _create_post(actor, thread, body, kind=PostKind.FOLLOW_UP, uploads=checked)
    thread.closed_at = post.created_at
    thread.save(update_fields=["closed_at"])
    record_event(actor, "discussions.codev_closed", thread, post=post.pk)
    _notify_new_post(actor, thread, post)
    return post


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))


def remind_closed_suggestions(today=None):
    """Once a session's suggestions have closed, remind its presenter, once, to mark what helped
    and to report on the follow-up date. Returns how many were reminded."""
    today = today or timezone.localdate()
    due = Thread.objects.filter(
        kind=ThreadKind.CODEV,
        closed_at__isnull=True,
        suggestions_close_on__lt=today,
        suggestions_reminded_at__isnull=True,
        author__isnull=False,
        community__state__in=["open", "active"],
    ).select_related("community", "author")
    count = 0
    for thread in due:
        with transaction.atomic():
            claimed = Thread.objects.filter(
                pk=thread.pk, suggestions_reminded_at__isnull=True
            ).update(suggestions_reminded_at=timezone.now())
            if claimed:
                notify(
                    thread.author,
                    "discussions.suggestions_closed",
                    url=thread.get_absolute_url(),
                    date=formats.date_format(thread.follow_up_on, "DATE_FORMAT")
                    if thread.follow_up_on
                    else "",
                    **_params(thread),
                )
                count += 1
    return count


def remind_follow_ups(now=None):
    """Remind each presenter whose follow-up is due, once. Returns how many were reminded."""
    now = now or timezone.now()
    due = (
        Thread.objects.follow_up_due(now)
        .filter(follow_up_reminded_at__isnull=True, author__isnull=False)
        .select_related("community", "author")
    )
    count = 0
    for thread in due:
        with transaction.atomic():
            updated = Thread.objects.filter(
                pk=thread.pk, follow_up_reminded_at__isnull=True
            ).update(follow_up_reminded_at=now)
            if updated:
                url = thread.get_absolute_url() + "follow-up/"
                notify(thread.author, "discussions.follow_up_due", url=url, **_params(thread))
                count += 1
    return count


def active_outer_members(community, *, posts=ACTIVE_POSTS, days=ACTIVE_DAYS):
    """Outer-circle members who posted at least `posts` times in the last `days` days: people
    the lead may invite into the inner circle. Each membership carries `recent_posts`."""
    since = timezone.now() - datetime.timedelta(days=days)
    counted = Count(
        "user__posts",
        filter=Q(
            user__posts__thread__community=community,
            user__posts__created_at__gte=since,
            user__posts__deleted_at__isnull=True,
        ),
    )
    return (
        Membership.objects.filter(
            community=community, status=MembershipStatus.ACTIVE, role=Role.OUTER
        )
        .select_related("user")
        .annotate(recent_posts=counted)
        .filter(recent_posts__gte=posts)
        .order_by("-recent_posts", "user__display_name")
    )
