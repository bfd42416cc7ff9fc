"""Communities: the catalogue with its filters, a community's presentation, joining."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from cercles.communities import catalogue as finder
from cercles.communities import services
from cercles.communities.forms_catalogue import CatalogueFilterForm
from cercles.communities.lookups import community_for
from cercles.communities.models import Community, Involvement, Visibility
from cercles.communities.rules import membership_of

from .pagination import CursorPagination
from .problems import Problem
from .schemas import CommunityDetailOut, CommunityOut, JoinIn, MembershipOut
from .security import OPEN_TO_VISITORS, readers, writers

router = Router(tags=["communities"])


class CatalogueFilters(Schema):
    q: str = ""
    theme: str = ""
    territory: str = ""
    kind: str = ""
    objective: str = ""
    status: str = ""


def _form_errors(form):
    return [
        {"field": field, "message": message}
        for field, messages in form.errors.items()
        for message in messages
    ]


@router.get(
    "/communities",
    response=list[CommunityOut],
    auth=readers(),
    openapi_extra=OPEN_TO_VISITORS,
    summary="The catalogue of communities",
)
@paginate(CursorPagination, ordering=("ended", "title", "pk"))
def list_communities(request, filters: Query[CatalogueFilters]):
    """The communities of the catalogue a person may see (visitors: the public ones), with the
    catalogue's filters: `theme` and `territory` (slugs), `kind` (thematic, territorial),
    `objective`, `status` (recruiting, active, closed) and words `q`."""
    data = {key: value for key, value in filters.dict().items() if value}
    form = CatalogueFilterForm(data)
    if not form.is_valid():
        raise Problem("invalid-input", errors=_form_errors(form))
    chosen = {key: value for key, value in form.cleaned_data.items() if value}
    communities = finder.apply_filters(
        finder.catalogue_for(request.user), user=request.user, **chosen
    )
    return finder.in_catalogue_order(communities).for_listing()


@router.get(
    "/communities/{slug}",
    response=CommunityDetailOut,
    auth=readers(),
    openapi_extra=OPEN_TO_VISITORS,
    summary="A community's presentation",
)
def get_community(request, slug: str):
    community = community_for(
        request,
        slug,
        queryset=Community.objects.select_related("lead").prefetch_related("themes", "territories"),
    )
    if not request.user.has_perm("communities.view_content", community):
        community.next_steps = None
        if community.visibility != Visibility.PUBLIC:
            # The framing of a community one may not read stays hidden, as on its home page.
            community.problem_statement = community.positioning = ""
    membership = membership_of(request.user, community)
    community.my_membership = membership if membership and membership.status != "left" else None
    return community


@router.post(
    "/communities/{slug}/join",
    response={201: MembershipOut},
    auth=writers(),
    summary="Join a community, or ask to join",
)
def join_community(request, slug: str, payload: JoinIn):
    """Joins an open community, or asks the lead when it is private or asks for approval
    (`status` is then `pending`). Same rules as the “Join” button."""
    community = community_for(request, slug)
    if payload.involvement not in Involvement.values:
        raise Problem(
            "invalid-input",
            errors=[{"field": "involvement", "message": "active, occasional or observer."}],
        )
    services.join_community(
        request.user,
        community,
        objective=payload.objective.strip(),
        involvement=payload.involvement,
        message=payload.message.strip(),
    )
    membership = get_object_or_404(community.memberships, user=request.user)
    membership.community = community
    return Status(201, membership)
