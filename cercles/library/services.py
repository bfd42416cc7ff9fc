"""Every change to a library or its productions goes through one of these functions."""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.communities.archive import ensure_writable
from cercles.communities.models import Visibility
from cercles.communities.services import active_members_of
from cercles.core.audit import record_event
from cercles.core.uploads import validate_upload
from cercles.notifications.services import notify

from .models import Item, ItemKind, NoteRevision, Production, ProductionStatus, Sharing, Tag

MAX_TAGS = 10


def _require(actor, permission, obj):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def parse_tags(text):
    """Names from a comma-separated text, cleaned, without duplicates (by their slug)."""
    names = {}
    for raw in (text or "").split(","):
        name = " ".join(raw.split())[:40]
        slug = Tag.slug_for(name)
        if slug and slug not in names:
            names[slug] = name
    if len(names) > MAX_TAGS:
        raise ValidationError(
            _("At most %(count)s tags, please.") % {"count": MAX_TAGS}, code="too_many_tags"
        )
    return list(names.values())


def _set_tags(item, names):
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(
            community_id=item.community_id, slug=Tag.slug_for(name), defaults={"name": name}
        )
        tags.append(tag)
    item.tags.set(tags)


def _attach(obj, upload):
    """Store a validated upload on an item or a production, keeping the name people gave it."""
    validate_upload(upload)
    old = obj.file.name if obj.file else ""
    # Control characters (a NUL byte, which PostgreSQL refuses in text) never reach the name shown.
    name = "".join(c for c in os.path.basename(upload.name) if c.isprintable())
    obj.filename = name[:200]
    obj.size = upload.size
    obj.file.save(upload.name, upload, save=False)
    if old:
        _delete_file_after_commit(obj.file.storage, old)


def _delete_file_after_commit(storage, name):
    transaction.on_commit(lambda: storage.delete(name), robust=True)


def _set_sharing(actor, obj, shared_with):
    """Set who reads the item beyond the community (issue 11): only in a private community, and
    only by someone who may edit it. Nothing is changed on a refusal."""
    if not shared_with or shared_with == obj.shared_with:
        return False
    if shared_with not in Sharing.values:
        raise ValidationError({"shared_with": [_("Choose who may read it from the list.")]})
    community = obj.community
    if community.visibility != Visibility.PRIVATE:
        raise ValidationError(
            {
                "shared_with": [
                    _(
                        "Only the items of a private community have their own audience; here "
                        "they follow the community's visibility."
                    )
                ]
            }
        )
    permission = "library.share_production" if isinstance(obj, Production) else "library.share_item"
    if obj.pk is None:
        # A new item: its author may share it if they may add it (checked by the caller).
        allowed = actor.has_perm(
            "library.add_production" if isinstance(obj, Production) else "library.add_item",
            community,
        )
    else:
        allowed = actor.has_perm(permission, obj)
    if not allowed:
        raise PermissionDenied
    obj.shared_with = shared_with
    return True


@transaction.atomic
def share(actor, obj, shared_with):
    """Change who reads a note, file, link or production of a private community."""
    ensure_writable(obj)
    obj = type(obj).objects.select_for_update().select_related("community").get(pk=obj.pk)
    if _set_sharing(actor, obj, shared_with):
        obj.save(update_fields=["shared_with"])
        record_event(actor, "library.shared", obj, shared_with=shared_with)
    return obj


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- notes ------------------------------------------------------------------------------------


def _add_revision(note, actor, comment=""):
    number = last_revision_number(note) + 1
    return NoteRevision.objects.create(
        note=note,
        number=number,
        title=note.title,
        body=note.body,
        comment=comment,
        author=actor,
    )


@transaction.atomic
def create_note(actor, community, *, title, body, tags=(), keep_in_legacy=False, shared_with=None):
    ensure_writable(community)
    _require(actor, "library.add_item", community)
    note = Item(
        community=community,
        kind=ItemKind.NOTE,
        title=title,
        body=body,
        author=actor,
        keep_in_legacy=keep_in_legacy,
    )
    _set_sharing(actor, note, shared_with)
    note = _save(note)
    _set_tags(note, tags)
    _add_revision(note, actor)
    record_event(actor, "library.note_created", note, title=title)
    _announce(actor, community, "library.note_added", note.get_absolute_url(), title=title)
    return note


def last_revision_number(note):
    return note.revisions.aggregate(last=Max("number"))["last"] or 0


@transaction.atomic
def update_note(
    actor,
    note,
    *,
    title,
    body,
    comment="",
    tags=(),
    keep_in_legacy=None,
    shared_with=None,
    base_revision=None,
):
    """Save a new version of a note; a revision is kept when its title or text changed.

    `base_revision` is the revision the editor started from: when someone else saved a newer
    one meanwhile, the change is refused with a message rather than silently written over it.
    """
    ensure_writable(note)
    _require(actor, "library.change_item", note)
    if not note.is_note:
        raise ValidationError(_("This item is not a note."))
    # One editor at a time numbers the revisions.
    current = Item.objects.select_for_update().filter(pk=note.pk).first()
    if base_revision is not None and last_revision_number(note) != base_revision:
        latest = note.revisions.order_by("-number").select_related("author").first()
        raise ValidationError(
            _(
                "%(name)s saved this note while you were editing it. Your text is kept below: "
                "compare it with theirs in the history, then save again."
            )
            % {"name": latest.author.name if latest and latest.author else _("Someone")},
            code="stale",
        )
    if current is not None:
        note.title, note.body = current.title, current.body
    changed = (title, body) != (note.title, note.body)
    _set_sharing(actor, note, shared_with)
    note.title, note.body = title, body
    if keep_in_legacy is not None:
        note.keep_in_legacy = keep_in_legacy
    _save(note)
    _set_tags(note, tags)
    if changed:
        revision = _add_revision(note, actor, comment)
        record_event(actor, "library.note_revised", note, revision=revision.number)
    return note


# --- files and links --------------------------------------------------------------------------


@transaction.atomic
def add_file(
    actor,
    community,
    *,
    title,
    upload,
    description="",
    tags=(),
    keep_in_legacy=False,
    shared_with=None,
):
    ensure_writable(community)
    _require(actor, "library.add_item", community)
    item = Item(
        community=community,
        kind=ItemKind.FILE,
        title=title,
        description=description,
        author=actor,
        keep_in_legacy=keep_in_legacy,
    )
    _set_sharing(actor, item, shared_with)
    _attach(item, upload)
    _save(item)
    _set_tags(item, tags)
    record_event(actor, "library.file_added", item, title=title, filename=item.filename)
    return item


@transaction.atomic
def add_link(
    actor, community, *, title, url, description="", tags=(), keep_in_legacy=False, shared_with=None
):
    ensure_writable(community)
    _require(actor, "library.add_item", community)
    item = Item(
        community=community,
        kind=ItemKind.LINK,
        title=title,
        url=url,
        description=description,
        author=actor,
        keep_in_legacy=keep_in_legacy,
    )
    _set_sharing(actor, item, shared_with)
    item = _save(item)
    _set_tags(item, tags)
    record_event(actor, "library.link_added", item, title=title, url=url)
    return item


@transaction.atomic
def update_item(
    actor,
    item,
    *,
    title,
    description="",
    url=None,
    upload=None,
    tags=(),
    keep_in_legacy=None,
    shared_with=None,
):
    """Edit a file or a link: its title, description, tags, address, file or audience."""
    ensure_writable(item)
    _require(actor, "library.change_item", item)
    if item.is_note:
        raise ValidationError(_("Notes are edited with their history."))
    _set_sharing(actor, item, shared_with)
    item.title, item.description = title, description
    if item.is_link and url is not None:
        item.url = url
    if item.is_file and upload is not None:
        _attach(item, upload)
    if keep_in_legacy is not None:
        item.keep_in_legacy = keep_in_legacy
    _save(item)
    _set_tags(item, tags)
    record_event(actor, "library.item_changed", item, title=title)
    return item


@transaction.atomic
def delete_item(actor, item):
    ensure_writable(item)
    _require(actor, "library.delete_item", item)
    record_event(actor, "library.item_deleted", item.community, title=item.title, kind=item.kind)
    if item.file:
        _delete_file_after_commit(item.file.storage, item.file.name)
    item.delete()


@transaction.atomic
def set_keep_in_legacy(actor, item, keep):
    ensure_writable(item)
    _require(actor, "library.choose_legacy", item)
    item.keep_in_legacy = keep
    Item.objects.filter(pk=item.pk).update(keep_in_legacy=keep)
    record_event(actor, "library.legacy_chosen", item, keep=keep)
    return item


@transaction.atomic
def choose_legacy(actor, community, *, items, productions):
    """The lead's choice, on the closing page, of what the network keeps: exactly these library
    items and productions (ids), the others no longer. Ids of another community are ignored."""
    ensure_writable(community)
    _require(actor, "library.choose_legacy", Item(community=community))
    items, productions = set(items), set(productions)
    kept_items = community.library_items.filter(pk__in=items)
    kept_items.update(keep_in_legacy=True)
    community.library_items.exclude(pk__in=items).update(keep_in_legacy=False)
    kept_productions = community.productions.filter(pk__in=productions)
    kept_productions.update(keep_in_legacy=True)
    community.productions.exclude(pk__in=productions).update(keep_in_legacy=False)
    record_event(
        actor,
        "library.legacy_chosen",
        community,
        items=sorted(kept_items.values_list("pk", flat=True)),
        productions=sorted(kept_productions.values_list("pk", flat=True)),
    )


# --- productions ------------------------------------------------------------------------------

PRODUCTION_FIELDS = ("title", "kind", "audience", "audience_detail", "status", "due_date",
                     "summary", "url")  # fmt: skip
# Set through _set_sharing, which checks who may share.
SHARING_FIELD = "shared_with"


def _assign(production, fields):
    for name in PRODUCTION_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name != "due_date":
                value = ""
            setattr(production, name, value)


def _announce(actor, community, kind, url, **params):
    """Tell the community's members (per their preferences) once the change is committed."""
    recipients = list(active_members_of(community).exclude(pk=actor.pk))
    if not recipients:
        return
    transaction.on_commit(
        lambda: notify(
            recipients,
            kind,
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
            **params,
        )
    )


def _announce_delivery(actor, production):
    community = production.community
    recipients = list(active_members_of(community))
    url = production.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            recipients,
            "library.production_delivered",
            actor=actor,
            url=url,
            community=community.title,
            community_id=community.pk,
            production=production.title,
        )
    )


def _apply_status(production, previous):
    """Keep the delivery date in step with the status; announce a new delivery."""
    if production.status == ProductionStatus.DELIVERED and previous != ProductionStatus.DELIVERED:
        production.delivered_at = timezone.now()
        return True
    if production.status != ProductionStatus.DELIVERED:
        production.delivered_at = None
    return False


@transaction.atomic
def create_production(actor, community, *, upload=None, **fields):
    ensure_writable(community)
    _require(actor, "library.add_production", community)
    production = Production(community=community, author=actor)
    _set_sharing(actor, production, fields.pop(SHARING_FIELD, None))
    _assign(production, fields)
    delivered = _apply_status(production, previous=None)
    if upload is not None:
        _attach(production, upload)
    _save(production)
    record_event(actor, "library.production_created", production, title=production.title)
    if delivered:
        _announce_delivery(actor, production)
    else:
        _announce(
            actor,
            community,
            "library.production_added",
            production.get_absolute_url(),
            production=production.title,
        )
    return production


@transaction.atomic
def update_production(actor, production, *, upload=None, remove_file=False, **fields):
    ensure_writable(production)
    _require(actor, "library.change_production", production)
    previous = (
        Production.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=production.pk)
    )
    _set_sharing(actor, production, fields.pop(SHARING_FIELD, None))
    _assign(production, fields)
    delivered = _apply_status(production, previous)
    if upload is not None:
        _attach(production, upload)
    elif remove_file and production.file:
        _delete_file_after_commit(production.file.storage, production.file.name)
        production.file, production.filename, production.size = None, "", 0
    _save(production)
    record_event(actor, "library.production_changed", production, status=production.status)
    if delivered:
        _announce_delivery(actor, production)
    return production


def deliver_production(actor, production):
    """Mark a production delivered and tell the community's members."""
    if production.is_delivered:
        raise ValidationError(_("This production has already been delivered."))
    return update_production(actor, production, status=ProductionStatus.DELIVERED)


@transaction.atomic
def delete_production(actor, production):
    ensure_writable(production)
    _require(actor, "library.delete_production", production)
    record_event(actor, "library.production_deleted", production.community, title=production.title)
    if production.file:
        _delete_file_after_commit(production.file.storage, production.file.name)
    production.delete()
