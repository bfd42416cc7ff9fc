"""A community's home: its framing summary, state and history, milestones, members, next steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cercles.core.decorators import post_only

from .. import services
from ..forms_framing import NextStepsForm, TransitionForm
from ..freshness import remembered
from ..lifecycle import TRANSITIONS, State, allowed_transitions
from ..lookups import community_for, require
from ..models import Community, Decision, MembershipStatus, TaskStatus, Visibility
from ..panels import panels_for, shortcuts_for
from ..rules import membership_of

# Submission and review decisions have their own pages (framing editor, review page), and so
# have closing and dissolving (the closing page, with the final record).
HOME_TRANSITIONS = {"activate", "archive"}

PERMISSIONS = [
    "view_content", "edit_framing", "submit_framing", "review_community", "edit_next_steps",
    "join_community", "leave_community", "change_own_involvement", "approve_members",
    "invite_members", "view_settings",
]  # fmt: skip


@login_not_required
def community_detail(request, slug):
    """What is happening first (next meeting, discussions, library, update, next steps,
    milestones: panels registered by each app, see ..panels), then who the person is here.
    The framing has its own page (about), so have the history and the settings."""
    user = request.user
    queryset = Community.objects.select_related("lead")
    community = community_for(request, slug, queryset=queryset)
    can = {name: user.has_perm(f"communities.{name}", community) for name in PERMISSIONS}
    context = {
        "community": community,
        "can": can,
        "membership": membership_of(user, community),
        # A private community's presentation is its title, purpose and lead only.
        "show_summary": can["view_content"] or community.visibility == Visibility.PUBLIC,
        "today": timezone.localdate(),
    }
    # Counted for those who answer the requests only, on the (community, status) index: a count
    # joined to the community's row would read all its memberships (20,000 at scale L).
    community.pending_count = (
        remembered(
            community,
            "pending-requests",
            community.memberships.filter(status=MembershipStatus.PENDING).count,
        )
        if can["approve_members"]
        else 0
    )
    if can["view_content"]:
        context.update(_content(request, community, can))
    context["panels"] = panels_for(request, community, can)
    if user.is_authenticated:
        context["shortcuts"] = shortcuts_for(user, community)
    return render(request, "communities/community_detail.html", context)


def _content(request, community, can):
    content = {}
    if community.state == State.CHANGES_REQUESTED and can["submit_framing"]:
        review = services.latest_review(community)
        if review and review.decision == Decision.REQUEST_CHANGES:
            content["review"] = review
    return content


def next_steps_panel(request, community, can):
    """The lead's next steps, in Markdown, with their form for the lead (no query)."""
    context = {"today": timezone.localdate()}
    if can.get("edit_next_steps"):
        context["next_steps_form"] = NextStepsForm(initial={"next_steps": community.next_steps})
    return context


def milestones_panel(request, community, can):
    """The milestones and, for the lead, how many tasks are overdue (one query)."""
    today = timezone.localdate()
    leading = bool(can.get("edit_next_steps"))

    def read():
        milestones = community.milestones.select_related("owner")
        if leading:
            overdue = Q(tasks__due_date__lt=today) & ~Q(tasks__status=TaskStatus.DONE)
            milestones = milestones.annotate(overdue_tasks=Count("tasks", filter=overdue))
        return list(milestones)

    milestones = remembered(community, "milestones", read, vary=(leading,))
    return {
        "today": today,
        "milestones": milestones,
        "overdue_tasks": sum(getattr(m, "overdue_tasks", 0) for m in milestones),
    }


@login_not_required
def community_about(request, slug):
    """The framing (Cadrage): purpose, problem, positioning, themes, territories, calendar."""
    community = community_for(
        request,
        slug,
        queryset=Community.objects.select_related("lead").prefetch_related("themes", "territories"),
    )
    user = request.user
    if not (
        user.has_perm("communities.view_content", community)
        or community.visibility == Visibility.PUBLIC
    ):
        return redirect(community)
    return render(
        request,
        "communities/community_about.html",
        {
            "community": community,
            "can_edit": user.has_perm("communities.edit_framing", community),
        },
    )


def community_history(request, slug):
    community = community_for(request, slug, content=True)
    return render(
        request,
        "communities/community_history.html",
        {"community": community, "history": community.state_changes.select_related("actor")},
    )


def community_settings(request, slug):
    """For the lead and the coordinators: the community's life (activate, archive; closing and
    dissolving through the apps' settings panels) and its data."""
    community = community_for(request, slug, content=True)
    require(request, "communities.view_settings", community)
    user = request.user
    can = {
        name: user.has_perm(f"communities.{name}", community)
        for name in ("edit_framing", "export_community", "hand_over_leadership")
    }
    return render(
        request,
        "communities/community_settings.html",
        {
            "community": community,
            "can": can,
            "transitions": [
                t
                for t in allowed_transitions(community.state)
                if t.name in HOME_TRANSITIONS and user.has_perm(t.permission, community)
            ],
            "panels": panels_for(request, community, can, zones=("settings",)),
        },
    )


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
    return redirect("communities:settings", community.slug)
