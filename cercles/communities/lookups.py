"""Scoped look-ups: what a person may not see answers 404, never a hint that it exists."""

from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from .archive import CommunityArchived, community_of, is_archived
from .models import Community


def community_for(request, slug, *, content=False, queryset=None):
    """The community if the person may see its presentation (or its content when asked)."""
    queryset = queryset if queryset is not None else Community.objects.select_related("lead")
    user = request.user
    if user.is_authenticated:
        # The person's membership comes in the same query (one row at most: a person has one
        # membership per community), ready for the permission rules (rules.membership_of).
        queryset = queryset.annotate(
            my_membership=FilteredRelation("memberships", condition=Q(memberships__user=user.pk))
        ).select_related("my_membership")
    community = get_object_or_404(queryset.visible_to(user), slug=slug)
    if user.is_authenticated:
        mine = getattr(community, "my_membership", None)
        if mine is not None:
            mine.community = community
        community.__dict__.setdefault("_membership_cache", {})[user.pk] = mine
    permission = "communities.view_content" if content else "communities.view_presentation"
    if not request.user.has_perm(permission, community):
        raise Http404
    return community


def require(request, permission, community):
    """403 for an action the person cannot take on a community (or on something in it) they can
    see; the page says so when the reason is that the community is archived."""
    if not request.user.has_perm(permission, community):
        if is_archived(community):
            raise CommunityArchived(community_of(community))
        raise PermissionDenied
