"""Members grouped by circle, from the centre outwards, cheaply whatever the community's size."""

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from .models import ROLE_ORDER, Membership, Role, circle_rank


def circle_sizes(community):
    """{role: number of active members}, in one query."""
    return dict(
        community.memberships.active().order_by().values_list("role").annotate(n=Count("id"))
    )


def members_by_circle(community, shown):
    """The first `shown` members of each circle and each circle's size: three small queries,
    whatever the size of the community (a network-wide community may have thousands of members).
    """
    active = community.memberships.active()
    sizes = circle_sizes(community)
    # Ranked on the index alone (membership_circles, no sort), then only the few shown are read
    # whole with their person. Joined in one query, the planner expects every membership of the
    # community to come out of the ranking and reads the whole table instead.
    shown_ids = list(
        active.annotate(
            rank=Window(RowNumber(), partition_by=F("role"), order_by=[F("joined_at"), F("id")])
        )
        .filter(rank__lte=shown)
        .values_list("pk", flat=True)
    )
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


def in_circle_order(memberships):
    """Memberships from the centre outwards (lead first), then by seniority."""
    return memberships.annotate(circle_rank=circle_rank()).order_by(
        "circle_rank", "joined_at", "id"
    )
