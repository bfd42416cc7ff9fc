from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .. import catalogue as finder
from ..forms_catalogue import CatalogueFilterForm

COMMUNITIES_PER_PAGE = 12


@login_not_required
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    communities = finder.apply_filters(
        finder.catalogue_for(request.user), user=request.user, **filters
    )
    page = Paginator(
        finder.in_catalogue_order(communities).for_listing(), COMMUNITIES_PER_PAGE
    ).get_page(request.GET.get("page"))
    recommendations = finder.recommend(request.user, communities) if page.number == 1 else []
    mine = finder.memberships_by_community(request.user)
    for community in [*page, *(r.community for r in recommendations)]:
        community.my_status = mine.get(community.pk, "")
    return render(
        request,
        "communities/community_list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "recommendations": recommendations,
        },
    )
