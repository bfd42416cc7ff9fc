"""What meetings add to a community's home: the next meeting, with the person's answer in place
(see cercles.communities.panels). One query."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import RSVP, Answer, Meeting


def next_meeting_panel(request, community, can):
    user = request.user
    mine = RSVP.objects.filter(meeting=OuterRef("pk"), user=user.pk).values("answer")[:1]
    meeting = (
        Meeting.objects.filter(
            community=community, cancelled_at__isnull=True, ends_at__gte=timezone.now()
        )
        .with_answer_counts()
        .annotate(my_answer=Subquery(mine))
        .order_by("starts_at", "pk")
        .first()
    )
    context = {"can_plan": user.has_perm("meetings.plan_meeting", community)}
    if meeting is not None:
        meeting.community = community  # the rules read the membership cached on it
        context.update(
            meeting=meeting,
            can_rsvp=user.has_perm("meetings.rsvp", meeting),
            answers=Answer.choices,
            organiser_zone_differs=meeting.time_zone != timezone.get_current_timezone_name(),
        )
    elif not context["can_plan"]:
        return None
    return context
