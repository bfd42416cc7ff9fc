"""What the home page shows: to visitors the recruiting communities, to a signed-in person their
own communities, upcoming meetings and what waits for them. A fixed number of queries whatever
the number of communities a person belongs to."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cercles.communities.catalogue import catalogue_for, recommend, recruiting
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Membership, MembershipStatus
from cercles.core import public_pages
from cercles.meetings.models import Meeting

MY_COMMUNITIES_SHOWN = 12
MEETINGS_SHOWN = 5
RECRUITING_SHOWN = 6


def visitor_home():
    """Left unevaluated: read only when the page's cached copy has been forgotten."""
    communities = recruiting(catalogue_for(AnonymousUser())).for_listing()
    return {
        "recruiting": communities.order_by("-updated_at")[:RECRUITING_SHOWN],
        "public_lifetime": public_pages.LIFETIME,
    }


def member_home(user):
    mine = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
    memberships = list(
        mine.select_related("community").order_by("-community__updated_at")[:MY_COMMUNITIES_SHOWN]
    )
    context = {
        "memberships": memberships,
        "membership_count": mine.count() if len(memberships) == MY_COMMUNITIES_SHOWN else None,
        "meetings": list(
            Meeting.objects.for_calendar_of(user)
            .filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True)
            .order_by("starts_at")[:MEETINGS_SHOWN]
        ),
        "recommendations": recommend(user, catalogue_for(user)),
        "profile_incomplete": not user.organisation or not user.themes.exists(),
    }
    if user.has_perm("communities.view_review_queue"):
        context["waiting_for_review"] = Community.objects.filter(state=State.IN_REVIEW).count()
    return context
