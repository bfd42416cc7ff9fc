"""What the home page shows: to visitors the recruiting communities, to a signed-in person their
own communities, upcoming meetings and what waits for them. A fixed number of queries whatever
the number of communities a person belongs to."""

from django.contrib.auth.models import AnonymousUser

from cercles.communities.catalogue import catalogue_for, recommend, recruiting
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Membership, MembershipStatus
from cercles.core import public_pages

MY_COMMUNITIES_SHOWN = 12
# Recommendations are shown while the person belongs to fewer communities than this.
RECOMMEND_BELOW = 3
RECRUITING_SHOWN = 6


def visitor_home():
    """Left unevaluated: read only when the page's cached copy has been forgotten."""
    communities = recruiting(catalogue_for(AnonymousUser())).for_listing()
    return {
        "recruiting": communities.order_by("-updated_at")[:RECRUITING_SHOWN],
        "public_lifetime": public_pages.LIFETIME,
    }


def member_home(user):
    """A member's home: what needs me and what's new come from the registry (views.home); here
    my communities and, while I belong to few, the communities recommended to me."""
    mine = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    memberships = list(
        mine.select_related("community").order_by("-community__updated_at")[:MY_COMMUNITIES_SHOWN]
    )
    context = {
        "memberships": memberships,
        "membership_count": mine.count() if len(memberships) == MY_COMMUNITIES_SHOWN else None,
        "profile_incomplete": not user.organisation or not user.country,
    }
    if len(memberships) < RECOMMEND_BELOW:
        context["recommendations"] = recommend(user, catalogue_for(user))
    if user.has_perm("communities.view_review_queue"):
        context["waiting_for_review"] = Community.objects.filter(state=State.IN_REVIEW).count()
    return context
