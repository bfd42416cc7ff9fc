"""The library and the productions in a community's export and in a person's data."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.core.archives import safe_name

from .models import Item, ItemKind, NoteRevision, Production, Sharing


def _note_markdown(note, tags):
    lines = [f"# {note.title}", ""]
    meta = [timezone.localtime(note.updated_at).strftime("%Y-%m-%d")]
    if note.author:
        meta.append(note.author.name)
    if tags:
        meta.append(", ".join(tags))
    if note.shared_with != Sharing.COMMUNITY:
        meta.append(_shared_label(note))
    lines += ["*" + " · ".join(meta) + "*", "", note.body.strip(), ""]
    return "\n".join(lines)


def _shared_label(obj):
    """Who reads it beyond the community, as the export says it (issue 11)."""
    return _("shared with: %(audience)s") % {"audience": obj.get_shared_with_display()}


def write_library(community, writer, folder):
    items = (
        Item.objects.filter(community=community)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("kind", "title", "id")
    )
    links = []
    for item in items.iterator(chunk_size=200):
        tags = [tag.name for tag in item.tags.all()]
        if item.kind == ItemKind.NOTE:
            writer.text(
                f"{folder}/notes/{item.pk}-{safe_name(item.title)}.md", _note_markdown(item, tags)
            )
        elif item.kind == ItemKind.FILE and item.file:
            writer.file(
                f"{folder}/files/{safe_name(item.filename or item.title, 'file')}", item.file
            )
        elif item.kind == ItemKind.LINK:
            links.append(
                f"- [{item.title}]({item.url})"
                + (f" — {item.description}" if item.description else "")
                + (f" ({_shared_label(item)})" if item.shared_with != Sharing.COMMUNITY else "")
            )
    if links:
        writer.text(f"{folder}/links.md", "# " + _("Links") + "\n\n" + "\n".join(links) + "\n")


def write_productions(community, writer, folder):
    productions = Production.objects.filter(community=community).order_by("due_date", "id")
    lines = ["# " + _("Productions"), ""]
    for production in productions.iterator(chunk_size=200):
        lines += [f"## {production.title}", ""]
        facts = [production.get_kind_display(), production.get_status_display(),
                 production.get_audience_display()]  # fmt: skip
        if production.due_date:
            facts.append(_("due %(date)s") % {"date": production.due_date.isoformat()})
        if production.shared_with != Sharing.COMMUNITY:
            facts.append(_shared_label(production))
        lines += ["*" + " · ".join(facts) + "*", ""]
        if production.summary:
            lines += [production.summary.strip(), ""]
        if production.url:
            lines += [production.url, ""]
        if production.file:
            name = writer.file(
                f"{folder}/files/{safe_name(production.filename or production.title, 'file')}",
                production.file,
            )
            if name:
                lines += [f"[{production.filename}]({name.split('/', 1)[1]})", ""]
    writer.text(f"{folder}/productions.md", "\n".join(lines))


def export_personal(person, writer):
    items = Item.objects.filter(author=person).select_related("community").order_by("id")
    writer.json_list(
        "library/items.json",
        (
            {
                "community": item.community.title,
                "kind": item.kind,
                "title": item.title,
                "description": item.description,
                "url": item.url,
                "filename": item.filename,
                "shared_with": item.shared_with,
                "created_at": item.created_at,
            }
            for item in items.iterator(chunk_size=200)
        ),
    )

    def notes():
        yield "# " + _("The notes I wrote or revised") + "\n\n"
        revisions = (
            NoteRevision.objects.filter(author=person)
            .select_related("note__community")
            .order_by("created_at", "id")
        )
        for revision in revisions.iterator(chunk_size=200):
            yield f"## {revision.note.community.title} — {revision.title} (#{revision.number})\n\n"
            yield f"*{timezone.localtime(revision.created_at):%Y-%m-%d %H:%M}*\n\n"
            yield revision.body.strip() + "\n\n"

    writer.lines("library/notes.md", notes())
