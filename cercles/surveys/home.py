"""What the surveys add to the community's home and to the member's home: self-contained panels
(a context function each and a template in includes/), so that the pages gathering panels can
place them without knowing surveys. Two queries at most each."""

from django.db.models import Exists, OuterRef

from cercles.communities.models import Membership, MembershipStatus

from .models import Need, NeedStatus, Participation, Status, Survey

NEEDS_SHOWN = 8
WAITING_SHOWN = 5


def _waiting(user, surveys):
    answered = Participation.objects.filter(survey=OuterRef("pk"), user=user)
    return surveys.filter(status=Status.OPEN).exclude(Exists(answered)).order_by("closes_on", "id")


def community_panel(user, community):
    """For a member: the open surveys waiting for their answer; for the lead and co-lead: the
    needs of the expectations surveys still to consider."""
    if not user.is_authenticated or not user.has_perm("surveys.view_surveys", community):
        return {}
    context = {"community": community}
    if user.has_perm("surveys.answer_survey", Survey(community=community, status=Status.OPEN)):
        context["waiting"] = list(_waiting(user, community.surveys.all())[:WAITING_SHOWN])
    if user.has_perm("surveys.handle_needs", community):
        from .forms import NeedForm

        needs = list(
            Need.objects.filter(community=community, status=NeedStatus.NEW)
            .select_related("survey")
            .order_by("-survey__opens_on", "id")[: NEEDS_SHOWN + 1]
        )
        context["more_needs"] = len(needs) > NEEDS_SHOWN
        context["needs"] = [
            (need, NeedForm(prefix=f"need-{need.pk}")) for need in needs[:NEEDS_SHOWN]
        ]
    return context


def member_panel(user):
    """The open surveys of the person's communities that wait for their answer."""
    if not user.is_authenticated:
        return {}
    mine = Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE).values(
        "community_id"
    )
    surveys = _waiting(user, Survey.objects.filter(community__in=mine)).select_related("community")
    return {"waiting": list(surveys[:WAITING_SHOWN])}


def panel_context(request, community, can):
    """The community home's panel (see cercles.communities.panels): shown when there is
    something to answer or to decide."""
    context = community_panel(request.user, community)
    return context if context.get("waiting") or context.get("needs") else None


def need_context(request):
    """The member home's "what needs me" item (see cercles.home.registry)."""
    context = member_panel(request.user)
    return context if context.get("waiting") else None
