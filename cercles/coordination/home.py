"""What progress updates add to a community's home: the latest one (see
cercles.communities.panels). One query."""

from cercles.communities.freshness import remembered

from .models import ProgressUpdate


def latest_update_panel(request, community, can):
    update = remembered(
        community,
        "latest-update",
        lambda: (
            ProgressUpdate.objects.filter(community=community)
            .select_related("author")
            .order_by("-created_at", "-id")
            .first()
        ),
    )
    can_post = request.user.has_perm("coordination.post_update", community)
    if update is None and not can_post:
        return None
    if update is not None:
        update.community = community
    return {"update": update, "can_post": can_post}
