"""A community's library: notes (with their history), files and links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cercles.communities.diff import diff_html
from cercles.communities.lookups import community_for, require
from cercles.communities.models import Visibility
from cercles.core.uploads import protected_download

from .. import services
from ..forms import FileForm, LibraryFilterForm, LinkForm, NoteForm, ShareForm, initial_tags
from ..lookups import item_for
from ..models import ItemKind, Sharing

ITEMS_PER_PAGE = 20
FORMS = {ItemKind.NOTE: NoteForm, ItemKind.FILE: FileForm, ItemKind.LINK: LinkForm}
ADD_TITLES = {
    ItemKind.NOTE: gettext_lazy("New note"),
    ItemKind.FILE: gettext_lazy("Add a file"),
    ItemKind.LINK: gettext_lazy("Add a link"),
}


def _library_url(community):
    return reverse("library:item_list", args=[community.slug])


def _require_item(request, permission, item):
    require(request, permission, item)  # says so when the community is archived


def item_list(request, slug):
    community = community_for(request, slug, content=True)
    tags = list(community.library_tags.filter(items__isnull=False).distinct().order_by("name"))
    form = LibraryFilterForm(request.GET or None, tags=tags)
    filters = form.filters() if form.is_bound else {}
    items = community.library_items.for_listing()
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    if filters.get("tag"):
        items = items.filter(tags__slug=filters["tag"])
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    for item in page:
        item.community = community
    return render(
        request,
        "library/item_list.html",
        {
            "community": community,
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "can_add": request.user.has_perm("library.add_item", community),
        },
    )


def _add(request, slug, kind):
    community = community_for(request, slug, content=True)
    require(request, "library.add_item", community)
    form_class = FORMS[kind]
    kwargs = {"creating": True} if kind == ItemKind.NOTE else {}
    kwargs["sharing"] = _offers_sharing(community)
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if kind == ItemKind.NOTE:
                item = services.create_note(request.user, community, **data)
            elif kind == ItemKind.FILE:
                item = services.add_file(request.user, community, upload=data.pop("file"), **data)
            else:
                item = services.add_link(request.user, community, **data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” has been added.") % {"title": item.title})
            return redirect(item)
    return render(
        request,
        "library/item_form.html",
        {"community": community, "form": form, "kind": kind, "page_heading": ADD_TITLES[kind]},
    )


def _offers_sharing(community):
    return community.visibility == Visibility.PRIVATE


def _apply_service_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error)


def add_note(request, slug):
    return _add(request, slug, ItemKind.NOTE)


def add_file(request, slug):
    return _add(request, slug, ItemKind.FILE)


def add_link(request, slug):
    return _add(request, slug, ItemKind.LINK)


@login_not_required
def item_detail(request, slug, item_id):
    item = item_for(request, slug, item_id, shared=True)
    user = request.user
    member_view = user.has_perm("communities.view_content", item.community)
    can = {
        name: user.has_perm(f"library.{name}", item)
        for name in ("change_item", "delete_item", "choose_legacy", "share_item")
    }
    context = {
        "community": item.community,
        "item": item,
        "tags": list(item.tags.all()),
        "can": can,
        # Someone reading a shared item sees it alone, without the community's library around.
        "member_view": member_view,
        "share_form": ShareForm(initial={"shared_with": item.shared_with})
        if can["share_item"]
        else None,
    }
    if item.is_note and member_view:
        context["last_revision"] = item.revisions.select_related("author").first()
    return render(request, "library/item_detail.html", context)


@require_POST
def share_item(request, slug, item_id):
    item = item_for(request, slug, item_id)
    return share_object(request, item, "library.share_item")


def share_object(request, obj, permission):
    """Change who reads an item or a production; a refusal leaves it as it was, with a message."""
    if not request.user.has_perm(permission, obj):
        if obj.community.visibility != Visibility.PRIVATE:
            raise PermissionDenied(
                _("Only the items of a private community have their own audience.")
            )
        require(request, permission, obj)  # archived: says so
        raise PermissionDenied(_("Only those who may edit it choose who may read it."))
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who may read it from the list."))
        return redirect(obj)
    try:
        services.share(request.user, obj, form.cleaned_data["shared_with"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Who may read “%(title)s”: %(audience)s.")
            % {"title": obj.title, "audience": Sharing(form.cleaned_data["shared_with"]).label},
        )
    return redirect(obj)


def edit_item(request, slug, item_id):
    item = item_for(request, slug, item_id)
    _require_item(request, "library.change_item", item)
    form_class = FORMS[item.kind]
    initial = {
        "title": item.title,
        "body": item.body,
        "description": item.description,
        "url": item.url,
        "tags": initial_tags(item),
        "keep_in_legacy": item.keep_in_legacy,
        "shared_with": item.shared_with,
    }
    kwargs = {"replacing": True} if item.is_file else {}
    kwargs["sharing"] = _offers_sharing(item.community)
    form = form_class(request.POST or None, request.FILES or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if item.is_note:
                services.update_note(request.user, item, **data)
            else:
                upload = data.pop("file", None)
                services.update_item(request.user, item, upload=upload or None, **data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(item)
    return render(
        request,
        "library/item_form.html",
        {
            "community": item.community,
            "form": form,
            "item": item,
            "kind": item.kind,
            "page_heading": _("Edit “%(title)s”") % {"title": item.title},
        },
    )


def delete_item(request, slug, item_id):
    item = item_for(request, slug, item_id)
    _require_item(request, "library.delete_item", item)
    if request.method == "POST":
        services.delete_item(request.user, item)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": item.title})
        return redirect(_library_url(item.community))
    return render(
        request,
        "library/confirm_delete.html",
        {"community": item.community, "object": item, "cancel_url": item.get_absolute_url()},
    )


@require_POST
def choose_legacy(request, slug, item_id):
    item = item_for(request, slug, item_id)
    _require_item(request, "library.choose_legacy", item)
    keep = request.POST.get("keep") == "1"
    services.set_keep_in_legacy(request.user, item, keep)
    if keep:
        messages.success(request, _("This item will be kept in the legacy."))
    else:
        messages.success(request, _("This item will not be kept in the legacy."))
    return redirect(item)


@login_not_required
def download_file(request, slug, file_id):
    item = item_for(request, slug, file_id, kind=ItemKind.FILE, shared=True)
    if not item.file:
        raise Http404
    return protected_download(item.file, item.filename)


def note_history(request, slug, note_id):
    note = item_for(request, slug, note_id, kind=ItemKind.NOTE)
    revisions = note.revisions.select_related("author")
    return render(
        request,
        "library/note_history.html",
        {"community": note.community, "note": note, "revisions": revisions},
    )


def note_revision(request, slug, note_id, number):
    note = item_for(request, slug, note_id, kind=ItemKind.NOTE)
    revision = get_object_or_404(note.revisions.select_related("author"), number=number)
    previous = note.revisions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "library/note_revision.html",
        {
            "community": note.community,
            "note": note,
            "revision": revision,
            "previous": previous,
            "changes": diff_html(previous.body, revision.body) if previous else None,
            "is_current": revision.body == note.body and revision.title == note.title,
        },
    )
