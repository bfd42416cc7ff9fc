"""What seasons add to the community's home: self-contained panels (a context function and a
template in includes/ each), so that the page gathering panels places them without knowing
seasons. A few queries each, whatever the size of the community."""

from django.db.models import Count, Q
from django.utils import timezone

from cercles.communities.freshness import remembered
from cercles.communities.rules import latest_health_review

from .models import ObjectiveStatus, Season

# Seasons read for the home: the current one, the last ended and the last celebrated are among
# them in any believable history (a season lasts months).
SEASONS_READ = 4


def _months_and_days(days):
    return {"months": days // 30, "days": days % 30}


def community_panel(user, community, today=None):
    """The current season with its objectives and progress, the days left in it, the time left
    in the community's life, the latest health review, and the lead's ways to the season pages,
    the health review and the closing page."""
    if not user.has_perm("seasons.view_seasons", community):
        return {}
    today = today or timezone.localdate()
    # The latest seasons begun, their objectives counted: one query whatever the history.
    seasons = remembered(
        community,
        "seasons",
        lambda: list(
            Season.objects.filter(community=community, starts_on__lte=today)
            .annotate(
                reached=Count("objectives", filter=Q(objectives__status=ObjectiveStatus.REACHED)),
                counted=Count("objectives", filter=~Q(objectives__status=ObjectiveStatus.DROPPED)),
                objective_count=Count("objectives"),
            )
            .order_by("-ends_on")[:SEASONS_READ]
        ),
        vary=(today,),
    )
    season = next((s for s in seasons if s.ends_on >= today), None)
    context = {"community": community, "today": today, "season": season}
    if season is not None:
        season.community = community
        context.update(
            objective_count=season.objective_count,
            reached=season.reached,
            progress=round(100 * season.reached / season.counted) if season.counted else 0,
            days_left=season.days_left(today),
            elapsed=round(100 * season.elapsed_share(today)),
        )
    else:
        context["last_season"] = next((s for s in seasons if s.ends_on < today), None)
    if season is not None or context.get("last_season") is None:
        context["celebrated"] = next(
            (s for s in seasons if s.review_published_at is not None), None
        )
    context["can_fill_health"] = user.has_perm("communities.fill_health_review", community)
    if community.end_date:
        context["life_days_left"] = (community.end_date - today).days
    return context


def panel_context(request, community, can):
    """The community home's panel (see cercles.communities.panels)."""
    return community_panel(request.user, community) or None


def settings_context(request, community, can):
    """The settings page's panel: health reviews, closing, dissolving, the final record,
    reopening (see cercles.communities.panels)."""
    user = request.user
    context = {
        "community": community,
        "can": {
            "health": user.has_perm("communities.view_health_reviews", community),
            "fill_health": user.has_perm("communities.fill_health_review", community),
            "close": user.has_perm("communities.close_community", community),
            "dissolve": user.has_perm("communities.dissolve_community", community),
            "record": user.has_perm("communities.write_final_record", community)
            and community.state in ("closed", "dissolved"),
            "reopen": user.has_perm("communities.reopen_community", community),
            "plan": user.has_perm("seasons.plan_seasons", community),
        },
    }
    if not any(context["can"].values()):
        return None
    if context["can"]["health"]:
        review = latest_health_review(community)
        if review is not None:
            context["health_review"] = review
            context["health_counts"] = review.rating_counts()
    return context
