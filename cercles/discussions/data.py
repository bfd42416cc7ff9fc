"""The discussions in a community's export and in a person's data.

A community's threads are written one Markdown file per thread, posts read a chunk at a time,
attachments copied next to them. A person's data holds the posts they wrote (JSON and
Markdown); when their account is deleted their posts stay, signed by the former member, and
what only served them (follows, read markers) goes.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.core.archives import safe_name

from .models import Attachment, Post, Thread, ThreadFollow, ThreadRead

POSTS_CHUNK = 500


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _post_markdown(post, attachments):
    author = post.author.name if post.author else _("former member")
    lines = [f"### {author} — {_when(post.created_at)}"]
    if post.kind != "message":
        lines[0] += f" · {post.get_kind_display()}"
    lines.append("")
    if post.deleted_at:
        lines.append("*" + _("Post deleted by its author.") + "*")
    elif post.hidden_at:
        lines.append("*" + _("Post hidden by the moderators.") + "*")
    else:
        lines.append(post.body.strip())
    for name in attachments:
        lines.append(f"\n- [{name}]({name})")
    return "\n".join(lines) + "\n\n"


def write_discussions(community, writer, folder):
    threads = (
        Thread.objects.filter(community=community)
        .select_related("author")
        .order_by("created_at", "id")
    )
    for thread in threads.iterator(chunk_size=200):
        base = f"{folder}/{thread.created_at:%Y-%m-%d}-{thread.pk}-{safe_name(thread.title)}"
        attachment_names = {}
        attachments = Attachment.objects.filter(post__thread=thread).order_by("id")
        for attachment in attachments.iterator(chunk_size=200):
            written = writer.file(
                f"{base}/{safe_name(attachment.original_name, 'file')}", attachment.file
            )
            if written:
                attachment_names.setdefault(attachment.post_id, []).append(
                    written.rsplit("/", 1)[-1]
                )

        def chunks(thread=thread, attachment_names=attachment_names, base=base):
            yield f"# {thread.title}\n\n"
            meta = [thread.get_kind_display(), _when(thread.created_at)]
            if thread.author:
                meta.append(thread.author.name)
            yield "*" + " · ".join(meta) + "*\n\n"
            posts = (
                Post.objects.filter(thread=thread)
                .select_related("author")
                .only(
                    "id",
                    "kind",
                    "body",
                    "created_at",
                    "deleted_at",
                    "hidden_at",
                    "author__display_name",
                    "author__email",
                    "author__username",
                    "author__deleted_at",
                )  # fmt: skip
                .order_by("id")
            )
            prefix = base.rsplit("/", 1)[-1]
            for post in posts.iterator(chunk_size=POSTS_CHUNK):
                names = [f"{prefix}/{n}" for n in attachment_names.get(post.pk, [])]
                yield _post_markdown(post, names)

        writer.lines(f"{base}.md", chunks())


def export_personal(person, writer):
    posts = Post.objects.filter(author=person).select_related("thread__community").order_by("id")

    def records():
        for post in posts.iterator(chunk_size=POSTS_CHUNK):
            yield {
                "community": post.thread.community.title,
                "thread": post.thread.title,
                "kind": post.kind,
                "body": "" if post.deleted_at else post.body,
                "created_at": post.created_at,
                "edited_at": post.edited_at,
                "deleted_at": post.deleted_at,
                "address": post.get_absolute_url(),
            }

    writer.json_list("posts/posts.json", records())

    def markdown():
        yield "# " + _("My posts") + "\n\n"
        for post in posts.iterator(chunk_size=POSTS_CHUNK):
            if post.deleted_at:
                continue
            yield f"## {post.thread.community.title} — {post.thread.title}\n\n"
            yield f"*{_when(post.created_at)}*\n\n{post.body.strip()}\n\n"

    writer.lines("posts/posts.md", markdown())


def erase_personal(person, actor):
    ThreadFollow.objects.filter(user=person).delete()
    ThreadRead.objects.filter(user=person).delete()
