"""Discussions and co-development sessions of a community.

Every page looks the community up with `community_for(..., content=True)` and its threads, posts
and files through it, so that a forged address mixing communities answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercles.communities.lookups import community_for, require
from cercles.communities.models import Role
from cercles.core.models import one_or_none
from cercles.core.pagination import DeferredJoinPaginator
from cercles.core.uploads import protected_download

from . import services
from .forms import CodevForm, EditPostForm, FollowUpForm, ReasonForm, ReplyForm, ThreadForm
from .models import (
    POSTS_PER_PAGE,
    THREADS_PER_PAGE,
    Attachment,
    Post,
    Report,
    SessionState,
    Thread,
    ThreadFollow,
    ThreadKind,
    ThreadRead,
)

# People offered at once as @mention suggestions; typing any member's @username works regardless.
MENTION_SUGGESTIONS = 12
OPEN_SESSIONS_SHOWN = 5


def _show_errors(request, error):
    for message in error.messages:
        messages.error(request, message)


def _discussions(request, slug):
    community = community_for(request, slug, content=True)
    if not request.user.has_perm("discussions.view_discussions", community):
        raise Http404
    return community


def _thread_in(community, thread_id):
    thread = get_object_or_404(
        Thread.objects.select_related("author"), community=community, pk=thread_id
    )
    thread.community = community
    return thread


def _post_in(community, post_id):
    post = get_object_or_404(
        Post.objects.select_related("thread", "author"), thread__community=community, pk=post_id
    )
    post.thread.community = community
    return post


def _page_of(post):
    before = Post.objects.filter(thread_id=post.thread_id, id__lt=post.pk).count()
    return before // POSTS_PER_PAGE + 1


def _post_url(thread, post_id, page):
    url = thread.get_absolute_url()
    return f"{url}?page={page}#post-{post_id}" if page > 1 else f"{url}#post-{post_id}"


def _uploads(request):
    return request.FILES.getlist("attachments")


def thread_list(request, slug):
    community = _discussions(request, slug)
    user = request.user
    kind = ThreadKind.CODEV if request.GET.get("kind") == ThreadKind.CODEV else ThreadKind.REGULAR
    threads = Thread.objects.filter(community=community, kind=kind).for_list(user)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    for thread in page:
        thread.community = community
    can = {
        "start_thread": user.has_perm("discussions.start_thread", community),
        "change_roles": user.has_perm("communities.change_roles", community),
    }
    context = {
        "community": community,
        "page": page,
        "kind": kind,
        "can": can,
        "follow_up_days": services.FOLLOW_UP_DAYS,
    }
    if kind == ThreadKind.REGULAR:
        context["open_sessions"] = list(
            Thread.objects.filter(
                community=community, kind=ThreadKind.CODEV, closed_at__isnull=True
            )
            .select_related("author")
            .order_by("-last_activity_at")[:OPEN_SESSIONS_SHOWN]
        )
        for session in context["open_sessions"]:
            session.community = community
    if can["change_roles"]:
        context["active_outer"] = list(services.active_outer_members(community))
        context["rule"] = {"posts": services.ACTIVE_POSTS, "days": services.ACTIVE_DAYS}
        context["inner_role"] = Role.INNER
    return render(request, "discussions/thread_list.html", context)


def thread_create(request, slug, codev=False):
    community = _discussions(request, slug)
    require(request, "discussions.start_thread", community)
    form_class = CodevForm if codev else ThreadForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if codev:
                thread = services.start_codev(
                    request.user,
                    community,
                    title=data["title"],
                    context=data["context"],
                    question=data["question"],
                    tried=data["tried"],
                    uploads=data["attachments"],
                    suggestions_close_on=data["suggestions_close_on"],
                    follow_up_on=data["follow_up_on"],
                )
            else:
                thread = services.start_thread(
                    request.user,
                    community,
                    title=data["title"],
                    body=data["body"],
                    uploads=data["attachments"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your thread has been started."))
            return redirect(thread)
    return render(
        request,
        "discussions/thread_form.html",
        {"community": community, "form": form, "codev": codev},
    )


def codev_create(request, slug):
    return thread_create(request, slug, codev=True)


def thread_detail(request, slug, thread_id, reply_form=None):
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    user = request.user
    read = one_or_none(ThreadRead.objects.filter(user=user, thread=thread))
    last_read = read.last_read_post_id if read else 0
    posts = (
        thread.posts.select_related("author", "hidden_by", "quoted__author")
        .prefetch_related("attachments")
        .order_by("id")
    )
    paginator = DeferredJoinPaginator(posts, POSTS_PER_PAGE)
    # Paginator.count would otherwise cost a query; the thread keeps it.
    paginator.count = thread.post_count
    page_number = request.GET.get("page")
    if page_number is None and reply_form is not None:
        page_number = paginator.num_pages
    page = paginator.get_page(page_number)
    can_moderate = user.has_perm("discussions.moderate", community)
    for post in page:
        post.thread = thread
        post.is_unread = read is not None and post.pk > last_read and post.author_id != user.pk
        post.can = {
            name: user.has_perm(f"discussions.{name}", post)
            for name in ("edit_post", "delete_post", "hide_post", "report_post", "mark_helpful")
        }
        post.show_body = not post.is_deleted and (
            not post.is_hidden or can_moderate or post.author_id == user.pk
        )
    can = {
        name: user.has_perm(f"discussions.{name}", thread)
        for name in ("reply", "pin_thread", "lock_thread", "follow_thread", "post_follow_up")
    }
    can["moderate"] = can_moderate
    is_followed = ThreadFollow.objects.filter(user=user, thread=thread).exists()
    if reply_form is None and can["reply"]:
        reply_form = ReplyForm(initial=_quote_initial(thread, request.GET.get("quote")))
    first_unread_id = None
    if read is not None and thread.last_post_id and thread.last_post_id > last_read:
        first_unread_id = last_read
    if page.object_list:
        services.mark_read(user, thread, max(p.pk for p in page))
    context = {
        "community": community,
        "thread": thread,
        "page": page,
        "can": can,
        "is_followed": is_followed,
        "reply_form": reply_form,
        "has_unread": first_unread_id is not None,
        "session_state": thread.session_state,
        "states": SessionState,
    }
    return render(request, "discussions/thread_detail.html", context)


def _quote_initial(thread, quote_id):
    if not quote_id or not str(quote_id).isdigit():
        return {}
    quoted = (
        Post.objects.filter(
            thread=thread, pk=quote_id, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("author")
        .first()
    )
    if quoted is None:
        return {}
    name = quoted.author.name if quoted.author else _("a former member")
    lines = [_("**%(name)s** wrote:") % {"name": name}, *quoted.body.splitlines()]
    return {"body": "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n", "quoted": quoted.pk}


def mention_suggestions(request, slug):
    """Members whose name or username begins like what the person types after "@", as JSON for
    the reply form's mention helper: fetched as they type rather than sent with every page, so
    that a community of thousands costs nothing until someone looks for a name."""
    community = _discussions(request, slug)
    require(request, "discussions.start_thread", community)
    typed = request.GET.get("q", "").strip().lstrip("@")[:60]
    if not typed:
        return JsonResponse({"members": []})
    found = (
        community.memberships.active()
        .filter(Q(user__username__istartswith=typed) | Q(user__display_name__icontains=typed))
        .order_by("user__display_name", "user__username")
        .values_list("user__username", "user__display_name")[:MENTION_SUGGESTIONS]
    )
    return JsonResponse(
        {"members": [{"username": username, "name": name or username} for username, name in found]}
    )


def unread(request, slug, thread_id):
    """Jump to the first post the person has not read yet."""
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    read = one_or_none(ThreadRead.objects.filter(user=request.user, thread=thread))
    post = thread.posts.filter(id__gt=read.last_read_post_id if read else 0).order_by("id").first()
    if post is None:
        post = thread.last_post
    if post is None:
        return redirect(thread)
    return redirect(_post_url(thread, post.pk, _page_of(post)))


def post_link(request, slug, post_id):
    """A post's permanent address: its page of the thread, at its place."""
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    return redirect(_post_url(post.thread, post.pk, _page_of(post)))


@require_POST
def reply(request, slug, thread_id):
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    if thread.locked:
        messages.error(request, _("This thread is locked: it takes no new replies."))
        return redirect(thread)
    require(request, "discussions.reply", thread)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        quoted = None
        if form.cleaned_data["quoted"]:
            quoted = Post.objects.filter(thread=thread, pk=form.cleaned_data["quoted"]).first()
        try:
            post = services.reply(
                request.user,
                thread,
                body=form.cleaned_data["body"],
                quoted=quoted,
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply has been posted."))
            return redirect(_post_url(thread, post.pk, _page_of(post)))
    return thread_detail(request, slug, thread_id, reply_form=form)


@require_POST
def toggle_follow(request, slug, thread_id):
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    if request.POST.get("follow") == "1":
        services.follow(request.user, thread)
        messages.success(request, _("You follow this thread: you are told of replies."))
    else:
        services.unfollow(request.user, thread)
        messages.success(request, _("You no longer follow this thread."))
    return redirect(thread)


@require_POST
def toggle_pin(request, slug, thread_id):
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    require(request, "discussions.pin_thread", thread)
    services.set_pinned(request.user, thread, request.POST.get("pinned") == "1")
    messages.success(
        request, _("The thread is pinned.") if thread.pinned else _("The thread is unpinned.")
    )
    return redirect(thread)


@require_POST
def toggle_lock(request, slug, thread_id):
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    require(request, "discussions.lock_thread", thread)
    services.set_locked(request.user, thread, request.POST.get("locked") == "1")
    messages.success(
        request, _("The thread is locked.") if thread.locked else _("The thread is unlocked.")
    )
    return redirect(thread)


def follow_up(request, slug, thread_id):
    community = _discussions(request, slug)
    thread = _thread_in(community, thread_id)
    require(request, "discussions.post_follow_up", thread)
    form = FollowUpForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_follow_up(
                request.user,
                thread,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the session is closed and your peers told."))
            return redirect(_post_url(thread, post.pk, _page_of(post)))
    helpful = thread.posts.filter(marked_helpful=True).select_related("author")
    return render(
        request,
        "discussions/follow_up_form.html",
        {"community": community, "thread": thread, "form": form, "helpful": helpful},
    )


def edit_post(request, slug, post_id):
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    require(request, "discussions.edit_post", post)
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(request.user, post, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your post has been updated."))
            return redirect(_post_url(post.thread, post.pk, _page_of(post)))
    return render(
        request,
        "discussions/post_form.html",
        {"community": community, "thread": post.thread, "post": post, "form": form},
    )


def post_history(request, slug, post_id):
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    if post.is_deleted or (
        post.is_hidden and not request.user.has_perm("discussions.moderate", community)
    ):
        raise Http404
    return render(
        request,
        "discussions/post_history.html",
        {
            "community": community,
            "thread": post.thread,
            "post": post,
            "revisions": post.revisions.select_related("edited_by"),
        },
    )


@require_POST
def delete_post(request, slug, post_id):
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    require(request, "discussions.delete_post", post)
    services.delete_post(request.user, post)
    messages.success(request, _("Your post has been deleted."))
    return redirect(_post_url(post.thread, post.pk, _page_of(post)))


def hide_post(request, slug, post_id):
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    if request.method == "POST" and request.POST.get("unhide") == "1":
        services.unhide_post(request.user, post)
        messages.success(request, _("The post is visible again."))
        return redirect(_post_url(post.thread, post.pk, _page_of(post)))
    require(request, "discussions.hide_post", post)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(request.user, post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The post is hidden; its author has been told why."))
            return redirect(_post_url(post.thread, post.pk, _page_of(post)))
    return render(
        request,
        "discussions/post_reason.html",
        {"community": community, "thread": post.thread, "post": post, "form": form,
         "action": "hide"},
    )  # fmt: skip


def report_post(request, slug, post_id):
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    require(request, "discussions.report_post", post)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_post(request.user, post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Thank you: the moderators have been told."))
        return redirect(_post_url(post.thread, post.pk, _page_of(post)))
    return render(
        request,
        "discussions/post_reason.html",
        {"community": community, "thread": post.thread, "post": post, "form": form,
         "action": "report"},
    )  # fmt: skip


@require_POST
def mark_helpful(request, slug, post_id):
    community = _discussions(request, slug)
    post = _post_in(community, post_id)
    require(request, "discussions.mark_helpful", post)
    helpful = request.POST.get("helpful") == "1"
    services.mark_helpful(request.user, post, helpful)
    if helpful:
        messages.success(request, _("Marked as helpful."))
    else:
        messages.success(request, _("No longer marked as helpful."))
    return redirect(_post_url(post.thread, post.pk, _page_of(post)))


def download(request, slug, attachment_id):
    community = _discussions(request, slug)
    require(request, "discussions.download_attachment", community)
    attachment = get_object_or_404(
        Attachment.objects.select_related("post"),
        post__thread__community=community,
        post__deleted_at__isnull=True,
        pk=attachment_id,
    )
    post = attachment.post
    if (
        post.is_hidden
        and post.author_id != request.user.pk
        and not request.user.has_perm("discussions.moderate", community)
    ):
        raise Http404
    return protected_download(attachment.file, attachment.original_name)


def report_list(request):
    """Open reports: every community's for coordinators, their communities' for moderators."""
    user = request.user
    if not user.has_perm("discussions.view_reports"):
        raise PermissionDenied
    reports = Report.objects.select_related(
        "post__author", "post__thread__community", "reporter"
    ).filter(resolved_at__isnull=True)
    if not (user.is_coordinator or user.is_superuser):
        moderated = user.memberships.filter(
            status="active", role__in=services.MODERATOR_ROLES
        ).values("community_id")
        reports = reports.filter(post__thread__community_id__in=moderated)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "discussions/report_list.html", {"page": page})


@require_POST
def resolve_report(request, report_id):
    report = get_object_or_404(
        Report.objects.select_related("post__thread__community"), pk=report_id
    )
    if not request.user.has_perm("discussions.resolve_report", report):
        raise Http404
    services.resolve_report(request.user, report)
    messages.success(request, _("The report is marked as dealt with."))
    return redirect(reverse("discussions:reports"))
