"""Members grouped by circle, from the centre outwards, cheaply whatever the community's size."""

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import ROLE_ORDER, Membership, Role, circle_rank


def circle_sizes(community):
    """{role: number of active members}, as the membership services keep it: no query."""
    return {role: n for role, n in community.members_per_circle.items() if n}


def members_by_circle(community, shown):
    """The first `shown` members of each circle and each circle's size: two small queries,
    whatever the size of the community (a network-wide community may have thousands of members).
    """
    active = community.memberships.active()
    sizes = circle_sizes(community)
    shown_ids = _first_of_each_circle(active, sizes, shown)
    first = (
        Membership.objects.filter(pk__in=shown_ids)
        .select_related("user")
        .order_by("joined_at", "id")
    )
    by_role = {}
    for membership in first:
        by_role.setdefault(membership.role, []).append(membership)
    labels = dict(Role.choices)
    return [
        {
            "role": role,
            "label": labels[role],
            "memberships": by_role.get(role, []),
            "more": max(0, sizes[role] - shown),
        }
        for role in ROLE_ORDER
        if sizes.get(role)
    ]


def _first_of_each_circle(active, sizes, shown):
    """Ids of the first `shown` members of each circle, by seniority, read on the index
    `membership_circles`: one limited index scan per circle where the database can limit each
    part of a UNION (PostgreSQL), whatever the community's size; elsewhere (SQLite) a ranking
    over the community's index entries."""
    if connection.features.supports_slicing_ordering_in_compound:
        per_circle = [
            active.filter(role=role)
            .order_by("joined_at", "id")
            .values_list("pk", flat=True)[:shown]
            for role in sizes
        ]
        if not per_circle:
            return []
        first, *others = per_circle
        return list(first.union(*others, all=True)) if others else list(first)
    ranked = active.annotate(
        rank=Window(RowNumber(), partition_by=F("role"), order_by=[F("joined_at"), F("id")])
    ).filter(rank__lte=shown)
    return list(ranked.values_list("pk", flat=True))


def in_circle_order(memberships):
    """Memberships from the centre outwards (lead first), then by seniority."""
    return memberships.annotate(circle_rank=circle_rank()).order_by(
        "circle_rank", "joined_at", "id"
    )
