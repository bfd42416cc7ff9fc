"""The catalogue: which communities a person finds, how they are filtered and recommended.

Recommendations match a community's themes with the person's profile themes, its territories
with the person's country (through `Territory.countries`), and its objective types with what the
person looks for in a community (`User.sought_objectives`).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, Q, Value, When
from django.utils.translation import gettext as _

from cercles.taxonomy.models import Territory

from .lifecycle import JOINABLE_STATES, State
from .models import Community, Membership, MembershipStatus, ObjectiveType, Visibility

RECOMMENDATIONS = 3

ENDED_STATES = (State.CLOSED, State.ARCHIVED, State.DISSOLVED)


def catalogue_for(user):
    """Published communities: public ones for visitors, every visibility for signed-in people.

    Drafts and framings under review are never listed, not even to coordinators: they find them
    in the review queue, and leads on their own pages.
    """
    communities = Community.objects.published()
    if not user.is_authenticated:
        communities = communities.filter(visibility=Visibility.PUBLIC)
    return communities


def recruiting(communities):
    """Open or active, with room left under the target size."""
    return communities.filter(state__in=JOINABLE_STATES, member_count__lt=F("target_size_max"))


STATUS_FILTERS = {
    "recruiting": recruiting,
    "active": lambda communities: communities.filter(state=State.ACTIVE),
    "closed": lambda communities: communities.filter(state__in=ENDED_STATES),
}


def has_objective_type(value):
    if connection.features.supports_json_field_contains:
        return Q(objective_types__contains=[value])
    # SQLite stores the list as JSON text: match the quoted value.
    return Q(objective_types__icontains=f'"{value}"')


def with_objective_type(communities, value):
    return communities.filter(has_objective_type(value))


def apply_filters(communities, *, q="", theme=None, territory=None, kind="", objective="",
                  status=""):  # fmt: skip
    """Narrow a queryset of communities by the catalogue's filters (all optional).

    Themes and territories are matched through sub-queries rather than joins, so that the
    recommendation counts, annotated on the same queryset, still see every theme.
    """
    if q:
        communities = communities.filter(
            Q(title__unaccent_icontains=q)
            | Q(purpose__unaccent_icontains=q)
            | Q(problem_statement__unaccent_icontains=q)
        )
    if theme is not None:
        communities = communities.filter(
            pk__in=Community.themes.through.objects.filter(theme=theme).values("community_id")
        )
    if territory is not None:
        communities = communities.filter(
            pk__in=Community.territories.through.objects.filter(territory=territory).values(
                "community_id"
            )
        )
    if kind:
        communities = communities.filter(kind=kind)
    if objective:
        communities = with_objective_type(communities, objective)
    if status:
        communities = STATUS_FILTERS[status](communities)
    return communities


def in_catalogue_order(communities):
    """Communities people can still join first, then the others; by title within each group."""
    return communities.annotate(
        ended=Case(When(state__in=ENDED_STATES, then=Value(1)), default=Value(0))
    ).order_by("ended", "title")


@dataclass
class Recommendation:
    community: Community
    shared_themes: list = field(default_factory=list)
    country: str = ""
    shared_objectives: list = field(default_factory=list)

    @property
    def reasons(self):
        reasons = []
        if self.shared_themes:
            reasons.append(
                _("Shares your themes: %(themes)s")
                % {"themes": ", ".join(theme.name for theme in self.shared_themes)}
            )
        if self.country:
            reasons.append(_("In your country: %(country)s") % {"country": self.country})
        if self.shared_objectives:
            reasons.append(
                _("Matches what you look for: %(objectives)s")
                % {"objectives": ", ".join(str(o.label) for o in self.shared_objectives)}
            )
        return reasons


def territories_covering(country):
    """Ids of the territories that cover a country (a short table, read in one query)."""
    if not country:
        return []
    return [
        pk
        for pk, countries in Territory.objects.values_list("pk", "countries")
        if country in (countries or [])
    ]


def recommend(user, communities, limit=RECOMMENDATIONS):
    """Up to `limit` recruiting communities the person has not joined, best match first.

    `communities` is the catalogue, already filtered. The overlap is counted by the database;
    the shared themes are read from the prefetched themes: a fixed number of queries.
    """
    if not user.is_authenticated:
        return []
    theme_ids = set(user.themes.values_list("pk", flat=True))
    territory_ids = territories_covering(str(user.country or ""))
    sought = [ObjectiveType(v) for v in user.sought_objectives if v in ObjectiveType.values]
    if not theme_ids and not territory_ids and not sought:
        return []
    joined = Membership.objects.filter(
        user=user, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING]
    ).values("community_id")
    # An empty `__in` would empty the whole query on some databases: count only what can match.
    shared_themes = (
        Count("themes", filter=Q(themes__in=theme_ids), distinct=True) if theme_ids else Value(0)
    )
    local_territories = (
        Count("territories", filter=Q(territories__in=territory_ids), distinct=True)
        if territory_ids
        else Value(0)
    )
    shared_objectives = sum(
        (Case(When(has_objective_type(o), then=Value(1)), default=Value(0)) for o in sought),
        Value(0),
    )
    candidates = (
        recruiting(communities)
        .exclude(pk__in=joined)
        .annotate(
            shared_themes=shared_themes,
            local_territories=local_territories,
            shared_objectives=shared_objectives,
        )
        .annotate(
            score=F("shared_themes")
            + F("shared_objectives")
            + Case(When(local_territories__gt=0, then=Value(1)), default=Value(0))
        )
        .filter(score__gt=0)
        .order_by("-score", "-shared_themes", "title")
        .for_listing()[:limit]
    )
    country_name = user.country.name if user.country else ""
    return [
        Recommendation(
            community=community,
            shared_themes=[t for t in community.themes.all() if t.pk in theme_ids],
            country=country_name if community.local_territories else "",
            shared_objectives=[o for o in sought if o in community.objective_types],
        )
        for community in candidates
    ]


def memberships_by_community(user):
    """The person's memberships (active or pending) keyed by community id, for the cards."""
    if not user.is_authenticated:
        return {}
    return dict(
        Membership.objects.filter(
            user=user, status__in=[MembershipStatus.ACTIVE, MembershipStatus.PENDING]
        ).values_list("community_id", "status")
    )
