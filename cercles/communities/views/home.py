"""A community's home: its framing summary, state and history, milestones, members, next steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.core.decorators import post_only

from .. import services
from ..circles import members_by_circle
from ..forms_framing import NextStepsForm, TransitionForm
from ..lifecycle import TRANSITIONS, State, allowed_transitions
from ..lookups import community_for, require
from ..models import Community, Decision, Task, TaskStatus, Visibility
from ..panels import panels_for, shortcuts_for
from ..rules import membership_of

# Submission and review decisions have their own pages (framing editor, review page), and so
# have closing and dissolving (the closing page, with the final record).
HOME_TRANSITIONS = {"activate", "archive"}
# Circles listed in full up to this many people; the members page has everyone.
SHOWN_PER_CIRCLE = 24
# Overdue tasks flagged on the home; the milestones page has them all.
OVERDUE_TASKS_SHOWN = 10

PERMISSIONS = [
    "view_content", "edit_framing", "submit_framing", "review_community", "edit_next_steps",
    "join_community", "leave_community", "change_own_involvement", "approve_members",
    "invite_members",
]  # fmt: skip


@login_not_required
def community_detail(request, slug):
    community = community_for(
        request,
        slug,
        queryset=Community.objects.select_related("lead").prefetch_related("themes", "territories"),
    )
    user = request.user
    can = {name: user.has_perm(f"communities.{name}", community) for name in PERMISSIONS}
    context = {
        "community": community,
        "can": can,
        "membership": membership_of(user, community),
        # A private community's presentation is its title, purpose and lead only.
        "show_summary": can["view_content"] or community.visibility == Visibility.PUBLIC,
        "today": timezone.localdate(),
        "transitions": [
            t
            for t in allowed_transitions(community.state)
            if t.name in HOME_TRANSITIONS and user.has_perm(t.permission, community)
        ],
    }
    if can["view_content"]:
        context.update(_content(request, community, can))
    context["panels"] = panels_for(request, community, can)
    if user.is_authenticated:
        context["shortcuts"] = shortcuts_for(user, community)
    return render(request, "communities/community_detail.html", context)


def _content(request, community, can):
    circles = members_by_circle(community, SHOWN_PER_CIRCLE)
    content = {
        "circles": circles,
        "milestones": community.milestones.select_related("owner"),
        "overdue_tasks": (
            Task.objects.filter(milestone__community=community, due_date__lt=timezone.localdate())
            .exclude(status=TaskStatus.DONE)
            .select_related("owner")[:OVERDUE_TASKS_SHOWN]
        ),
        "history": community.state_changes.select_related("actor"),
    }
    if can["edit_next_steps"]:
        content["next_steps_form"] = NextStepsForm(initial={"next_steps": community.next_steps})
    if can["approve_members"]:
        content["pending_requests"] = community.memberships.pending().count()
    if community.state == State.CHANGES_REQUESTED and can["submit_framing"]:
        review = services.latest_review(community)
        if review and review.decision == Decision.REQUEST_CHANGES:
            content["review"] = review
    return content


@post_only
def edit_next_steps(request, slug):
    community = community_for(request, slug, content=True)
    require(request, "communities.edit_next_steps", community)
    form = NextStepsForm(request.POST)
    if form.is_valid():
        services.update_next_steps(request.user, community, form.cleaned_data["next_steps"])
        messages.success(request, _("The next steps have been updated."))
    else:
        messages.error(request, " ".join(form.errors["next_steps"]))
    return redirect(community.get_absolute_url() + "#next-steps")


@post_only
def change_state(request, slug, transition):
    community = community_for(request, slug)
    spec = TRANSITIONS.get(transition)
    if spec is None or transition not in HOME_TRANSITIONS:
        raise Http404
    require(request, spec.permission, community)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        # Too long a reason: say so rather than dropping it.
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(community)
    try:
        services.transition(request.user, community, transition, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The community is now “%(state)s”.") % {"state": community.get_state_display()},
        )
    return redirect(community)
