"""Scoped look-ups: what a person may not see answers 404, never a hint that it exists."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .archive import CommunityArchived, community_of, is_archived
from .models import Community


def community_for(request, slug, *, content=False, queryset=None):
    """The community if the person may see its presentation (or its content when asked)."""
    queryset = queryset if queryset is not None else Community.objects.select_related("lead")
    community = get_object_or_404(queryset.visible_to(request.user), slug=slug)
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
