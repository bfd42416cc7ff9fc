"""What reporting adds to the community's home: the stage of life with its reason, and the
featured value-creation stories. Self-contained panels (a context function and a template in
includes/ each), a few queries each."""

from cercles.communities.freshness import remembered

from .models import ValueStory
from .stage import stage_for

FEATURED_SHOWN = 3


def stage_panel(user, community):
    if not user.has_perm("reporting.view_stage", community):
        return {}
    return {
        "community": community,
        "reading": remembered(community, "stage", lambda: stage_for(community)),
        "can_override": user.has_perm("reporting.override_stage", community),
    }


def stories_panel(user, community):
    if not user.has_perm("reporting.view_stories", community):
        return {}
    featured, story_count = remembered(community, "stories", lambda: featured_stories(community))
    return {
        "community": community,
        "report_block": open_block(user, community),
        "featured": featured,
        "story_count": story_count,
        "can_tell": user.has_perm("reporting.tell_story", community),
    }


def featured_stories(community):
    """The stories featured last, and how many stories the community has told."""
    featured = list(
        ValueStory.objects.filter(community=community)
        .featured()
        .select_related("author")
        .order_by("-featured_at")[:FEATURED_SHOWN]
    )
    return featured, ValueStory.objects.filter(community=community).count()


def open_block(user, community):
    """The community's block of a report open to contributions, if the person may write one."""
    from django.utils import timezone

    from .models import ReportBlock, ReportStatus

    if not user.has_perm("reporting.contribute", community):
        return None
    return (
        ReportBlock.objects.filter(
            community=community,
            report__status=ReportStatus.DRAFT,
            report__contributions_until__gte=timezone.localdate(),
        )
        .select_related("report")
        .first()
    )


def celebration_part(season):
    """The stories featured during a season, for its celebration page."""
    import datetime

    from django.utils import timezone

    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(season.starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(season.ends_on, datetime.time.max, tzinfo=zone)
    stories = list(
        ValueStory.objects.filter(community_id=season.community_id, created_at__range=(start, end))
        .featured()
        .select_related("author")
        .order_by("featured_at")[:12]
    )
    return {"stories": stories} if stories else {}
