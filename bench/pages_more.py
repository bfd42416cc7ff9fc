"""Benchmark pages of life inside communities."""

from django.urls import reverse


def more_pages(big):
    from cercles.discussions.models import Thread
    from cercles.surveys.models import Survey

    thread = Thread.objects.order_by("-post_count").first()
    busiest = thread.community
    thread_url = reverse("discussions:thread", args=[busiest.slug, thread.pk])
    last_page = (thread.post_count + 29) // 30
    return [
        {"name": "thread list", "path": reverse("discussions:thread_list", args=[busiest.slug]),
         "who": "member of every community"},
        {"name": "thread page (1,000 posts), first", "path": thread_url,
         "who": "member of every community"},
        {"name": "thread page (1,000 posts), last", "path": f"{thread_url}?page={last_page}",
         "who": "member of every community"},
        {"name": "meetings", "path": reverse("meetings:list", args=[busiest.slug]),
         "who": "member of every community"},
        {"name": "community library", "path": reverse("library:item_list", args=[busiest.slug]),
         "who": "member of every community"},
        {"name": "network library", "path": reverse("library:network_library"), "who": "member"},
        {"name": "notification settings", "path": reverse("notifications:settings"),
         "who": "member of every community"},
        {"name": "newsletter (coordinators)", "path": reverse("newsletter:list"),
         "who": "coordinator"},
        {"name": "newsletter archive", "path": reverse("newsletter:archive"), "who": "member"},
        # The JSON API's lists, next to the pages that show the same thing (catalogue,
        # notifications, meetings): as many rows per request as the page (12, 25, 20).
        {"name": "API: communities (catalogue)", "path": "/api/communities?limit=12",
         "who": "member"},
        {"name": "API: notifications", "path": "/api/notifications?limit=25", "who": "lead"},
        {"name": "API: meetings", "path": f"/api/communities/{busiest.slug}/meetings?limit=20",
         "who": "member of every community"},
    ] + survey_pages(Survey) + season_pages(big) + follow_up_pages(big)  # fmt: skip


def follow_up_pages(big):
    """The coordinators' dashboard of every community (200 at M), its CSV, one follow-up page."""
    return [
        {"name": "coordination dashboard (every community)",
         "path": reverse("follow_up:dashboard"), "who": "coordinator"},
        {"name": "coordination dashboard, CSV export", "path": reverse("follow_up:csv"),
         "who": "coordinator"},
        {"name": "follow-up of a community (largest)",
         "path": reverse("follow_up:community", args=[big.slug]), "who": "coordinator"},
    ]  # fmt: skip


def season_pages(big):
    """The celebration of the largest community's first season (every post, meeting and note
    of 300 days gathered), its seasons, the prefilled health review, and the legacies."""
    from cercles.communities.models import Community
    from cercles.seasons.models import Season

    season = Season.objects.filter(community=big, review_published_at__isnull=False).first()
    if season is None:
        return []
    pages = [
        {"name": "season celebration (largest)",
         "path": reverse("seasons:celebration", args=[big.slug, season.pk]), "who": "member"},
        {"name": "seasons (largest)", "path": reverse("seasons:list", args=[big.slug]),
         "who": "member"},
        {"name": "health review, prefilled (largest)",
         "path": reverse("seasons:health_new", args=[big.slug]), "who": "lead"},
        {"name": "legacies", "path": reverse("library:legacy_list"), "who": "member"},
    ]  # fmt: skip
    ended = Community.objects.filter(final_record__isnull=False).exclude(visibility="private")
    ended = ended.order_by("pk").first()
    if ended is not None:
        path = reverse("library:legacy", args=[ended.slug])
        pages.append({"name": "legacy of a closed community", "path": path, "who": "member"})
    return pages


def survey_pages(Survey):
    """The results of the largest survey (400 answers × 10 questions at M) and the trend over
    its community's 6 expectations surveys, read by the community's lead."""
    survey = Survey.objects.order_by("-response_count", "pk").first()
    if survey is None:
        return []
    slug = survey.community.slug
    return [
        {"name": f"survey results ({survey.response_count} answers × 10 questions)",
         "path": reverse("surveys:results", args=[slug, survey.pk]), "who": "lead"},
        {"name": "surveys trend (6 surveys)", "path": reverse("surveys:trend", args=[slug]),
         "who": "lead"},
    ]  # fmt: skip
