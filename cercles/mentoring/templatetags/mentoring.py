from django import template

from cercles.communities.freshness import remembered

from ..models import MentorProfile, Mentorship

register = template.Library()


@register.inclusion_tag("mentoring/includes/community_panel_body.html", takes_context=True)
def community_mentors(context, community):
    """The current mentors of the community, on its home (one query)."""
    user = context["user"]
    mentorships = remembered(
        community,
        "mentors",
        lambda: list(
            Mentorship.objects.current()
            .filter(community=community)
            .select_related("mentor", "need")
            .order_by("assigned_at", "pk")
        ),
    )
    return {
        "community": community,
        "mentorships": mentorships,
        "can_view": user.has_perm("mentoring.view_accompaniment", community),
    }


@register.inclusion_tag("mentoring/includes/profile_panel_body.html", takes_context=True)
def mentor_offer(context, person):
    user = context["user"]
    return {
        "profile": MentorProfile.objects.filter(user=person).first(),
        "is_self": user.is_authenticated and user.pk == person.pk,
    }
