"""The legacy of ended communities in the network library: each one's final record and what its
lead chose to keep (notes, files, links, productions). Discussions are never part of it."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cercles.communities.lifecycle import ENDED_STATES
from cercles.communities.models import Community, Visibility
from cercles.core.uploads import protected_download

from ..forms import LegacyFilterForm
from ..models import ItemKind

LEGACIES_PER_PAGE = 12


def legacies_for(user, filters=None):
    """Ended communities with a final record whose legacy the person may read, newest first."""
    communities = Community.objects.filter(
        state__in=ENDED_STATES, final_record__isnull=False
    ).select_related("final_record")
    if not user.is_authenticated:
        communities = communities.filter(visibility=Visibility.PUBLIC)
    filters = filters or {}
    if filters.get("theme"):
        communities = communities.filter(
            pk__in=Community.themes.through.objects.filter(theme=filters["theme"]).values(
                "community_id"
            )
        )
    if filters.get("territory"):
        communities = communities.filter(
            pk__in=Community.territories.through.objects.filter(
                territory=filters["territory"]
            ).values("community_id")
        )
    return communities.order_by("-closed_on", "-id")


@login_not_required
def legacy_list(request):
    form = LegacyFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    communities = legacies_for(request.user, filters).prefetch_related("themes", "territories")
    page = Paginator(communities, LEGACIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/legacy_list.html",
        {"form": form, "page": page, "filtered": bool(filters)},
    )


def _legacy_community(request, slug):
    community = get_object_or_404(
        Community.objects.select_related("lead", "final_record__continued_by").filter(
            state__in=ENDED_STATES
        ),
        slug=slug,
    )
    if not request.user.has_perm("library.view_legacy", community):
        raise Http404
    return community


@login_not_required
def legacy_detail(request, slug):
    community = _legacy_community(request, slug)
    items = list(
        community.library_items.legacy().select_related("author").order_by("kind", "title")
    )
    return render(
        request,
        "library/legacy_detail.html",
        {
            "community": community,
            "record": community.final_record,
            "notes": [i for i in items if i.kind == ItemKind.NOTE],
            "files": [i for i in items if i.kind == ItemKind.FILE],
            "links": [i for i in items if i.kind == ItemKind.LINK],
            "productions": list(community.productions.legacy().order_by("-delivered_at", "title")),
            "can_complete": request.user.has_perm("communities.write_final_record", community),
        },
    )


@login_not_required
def legacy_download(request, slug, item_id):
    """A file kept in the legacy, for whoever may read the legacy (not only the members)."""
    community = _legacy_community(request, slug)
    item = get_object_or_404(community.library_items.legacy(), kind=ItemKind.FILE, pk=item_id)
    if not item.file:
        raise Http404
    return protected_download(item.file, item.filename)


@login_not_required
def legacy_production_download(request, slug, production_id):
    community = _legacy_community(request, slug)
    production = get_object_or_404(community.productions.legacy(), pk=production_id)
    if not production.file:
        raise Http404
    return protected_download(production.file, production.filename)
