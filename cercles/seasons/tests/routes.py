"""Seasons, health reviews and closing routes for cercles/core/tests/test_routes.py: the
community is running, with a season whose celebration is published and one health review."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "seasons:list": statuses(302, 200, 200),
    "seasons:length": statuses(302, 405, 405),
    "seasons:new": statuses(302, 403, 403),
    "seasons:edit": statuses(302, 403, 403),
    "seasons:objective_add": statuses(302, 403, 403),
    "seasons:objective_edit": statuses(302, 403, 403),
    "seasons:objective_status": statuses(302, 405, 405),
    "seasons:review": statuses(302, 403, 403),
    "seasons:celebration": statuses(302, 200, 200),
    "seasons:celebration_pdf": statuses(302, 200, 200),
    # Health reviews are the core group's and the coordinators'.
    "seasons:health_list": statuses(302, 403, 200),
    "seasons:health_new": statuses(302, 403, 403),
    "seasons:health_review": statuses(302, 403, 200),
    # Coordinators may dissolve a running community, with a reason.
    "seasons:closing": statuses(302, 403, 200),
    "seasons:archive_grace": statuses(302, 405, 405),
    "seasons:reopen": statuses(302, 403, 403),
    "seasons:network_health": statuses(302, 404, 200),
}


def route_values(community, member):
    from django.utils import timezone

    from cercles.communities.models import HealthReview

    from .factories import ObjectiveFactory, all_ratings, ended_season

    season = ended_season(community, review_published_at=timezone.now())
    objective = ObjectiveFactory(season=season, status="reached")
    review = HealthReview.objects.create(
        community=community, author=community.lead, ratings=all_ratings(), decision="continue"
    )
    return {"season_id": season.pk, "objective_id": objective.pk, "review_id": review.pk}
