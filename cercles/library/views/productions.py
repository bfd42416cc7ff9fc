"""A community's productions, and the network library of delivered productions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cercles.communities.lookups import community_for, require
from cercles.communities.models import Community, Visibility
from cercles.core.uploads import protected_download

from .. import services
from ..forms import NetworkLibraryFilterForm, ProductionFilterForm, ProductionForm, ShareForm
from ..lookups import community_with_productions, production_for
from ..models import Item, Production, ProductionStatus
from .items import share_object
from .legacy import legacies_for

PRODUCTIONS_PER_PAGE = 20
LEGACIES_SHOWN = 6
SHARED_SHOWN = 12
# Work in progress first, then what is planned, then what was delivered.
STATUS_ORDER = Case(
    When(status=ProductionStatus.IN_PROGRESS, then=Value(0)),
    When(status=ProductionStatus.PLANNED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _require_production(request, permission, production):
    require(request, permission, production)  # says so when the community is archived


@login_not_required
def production_list(request, slug):
    community = community_with_productions(request, slug)
    user = request.user
    sees_everything = user.has_perm("communities.view_content", community)
    form = ProductionFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    productions = community.productions.select_related("author")
    if not sees_everything:
        productions = productions.delivered()
    if filters.get("status"):
        productions = productions.filter(status=filters["status"])
    productions = productions.annotate(status_order=STATUS_ORDER).order_by(
        "status_order", "due_date", "-delivered_at", "id"
    )
    page = Paginator(productions, PRODUCTIONS_PER_PAGE).get_page(request.GET.get("page"))
    for production in page:
        production.community = community
    return render(
        request,
        "library/production_list.html",
        {
            "community": community,
            "form": form if sees_everything else None,
            "page": page,
            "filtered": bool(filters),
            "sees_everything": sees_everything,
            "can_add": user.has_perm("library.add_production", community),
        },
    )


def add_production(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "library.add_production", community)
    form = ProductionForm(
        request.POST or None,
        request.FILES or None,
        sharing=community.visibility == Visibility.PRIVATE,
    )
    if request.method == "POST" and form.is_valid():
        try:
            production = services.create_production(
                request.user, community, upload=form.cleaned_data["file"], **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("“%(title)s” has been added.") % {"title": production.title}
            )
            return redirect(production)
    return render(
        request,
        "library/production_form.html",
        {"community": community, "form": form, "page_heading": _("New production")},
    )


@login_not_required
def production_detail(request, slug, production_id):
    production = production_for(request, slug, production_id)
    user = request.user
    can = {
        name: user.has_perm(f"library.{name}", production)
        for name in ("change_production", "delete_production", "share_production")
    }
    return render(
        request,
        "library/production_detail.html",
        {
            "community": production.community,
            "production": production,
            "can": can,
            "member_view": user.has_perm("communities.view_content", production.community),
            "share_form": ShareForm(initial={"shared_with": production.shared_with})
            if can["share_production"]
            else None,
        },
    )


@require_POST
def share_production(request, slug, production_id):
    production = production_for(request, slug, production_id)
    return share_object(request, production, "library.share_production")


def edit_production(request, slug, production_id):
    production = production_for(request, slug, production_id)
    _require_production(request, "library.change_production", production)
    title = production.title
    form = ProductionForm(
        request.POST or None,
        request.FILES or None,
        instance=production,
        sharing=production.community.visibility == Visibility.PRIVATE,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_production(
                request.user,
                production,
                upload=form.cleaned_data["file"],
                remove_file=form.cleaned_data.get("remove_file", False),
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(production)
    return render(
        request,
        "library/production_form.html",
        {
            "community": production.community,
            "form": form,
            "production": production,
            "page_heading": _("Edit “%(title)s”") % {"title": title},
        },
    )


@require_POST
def deliver_production(request, slug, production_id):
    production = production_for(request, slug, production_id)
    _require_production(request, "library.change_production", production)
    try:
        services.deliver_production(request.user, production)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(title)s” is delivered; the members have been told.")
            % {"title": production.title},
        )
    return redirect(production)


def delete_production(request, slug, production_id):
    production = production_for(request, slug, production_id)
    _require_production(request, "library.delete_production", production)
    community = production.community
    if request.method == "POST":
        services.delete_production(request.user, production)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": production.title})
        return redirect(reverse("library:production_list", args=[community.slug]))
    return render(
        request,
        "library/confirm_delete.html",
        {
            "community": community,
            "object": production,
            "cancel_url": production.get_absolute_url(),
            "current": "productions",
        },
    )


@login_not_required
def download_production(request, slug, production_id):
    production = production_for(request, slug, production_id)
    if not production.file:
        raise Http404
    return protected_download(production.file, production.filename)


def shared_items_for(user, filters):
    """Notes, files and links that private communities shared with the person (issue 11), newest
    first, filtered like the productions by their community's theme and territory."""
    items = Item.objects.shared_with_reader(user).filter(community__visibility=Visibility.PRIVATE)
    if filters.get("theme"):
        items = items.filter(
            community__in=Community.themes.through.objects.filter(theme=filters["theme"]).values(
                "community_id"
            )
        )
    if filters.get("territory"):
        items = items.filter(
            community__in=Community.territories.through.objects.filter(
                territory=filters["territory"]
            ).values("community_id")
        )
    return items.select_related("community", "author").order_by("-updated_at", "-id")


@login_not_required
def network_library(request):
    form = NetworkLibraryFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    productions = Production.objects.in_network_library(request.user)
    if filters.get("theme"):
        productions = productions.filter(
            community__in=Community.themes.through.objects.filter(theme=filters["theme"]).values(
                "community_id"
            )
        )
    if filters.get("territory"):
        productions = productions.filter(
            community__in=Community.territories.through.objects.filter(
                territory=filters["territory"]
            ).values("community_id")
        )
    if filters.get("kind"):
        productions = productions.filter(kind=filters["kind"])
    productions = productions.select_related("community").order_by("-delivered_at", "-id")
    page = Paginator(productions, PRODUCTIONS_PER_PAGE).get_page(request.GET.get("page"))
    # The legacies of ended communities, searchable by the same theme and territory.
    legacies = list(legacies_for(request.user, filters)[: LEGACIES_SHOWN + 1])
    shared = list(shared_items_for(request.user, filters)[: SHARED_SHOWN + 1])
    return render(
        request,
        "library/network_library.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "legacies": legacies[:LEGACIES_SHOWN],
            "more_legacies": len(legacies) > LEGACIES_SHOWN,
            "shared_items": shared[:SHARED_SHOWN],
            "legacy_query": request.GET.urlencode() if filters else "",
        },
    )
