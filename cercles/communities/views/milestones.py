"""The action plan: milestones and their tasks, shown as a timeline (chronogramme) and a list."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import planning
from ..forms_planning import MilestonePlanForm, TaskForm, TaskStatusForm
from ..lookups import community_for, require
from ..models import Milestone, Task, TaskStatus
from ..timeline import build_timeline

PLAN = "communities.plan_milestones"


def _milestone(community, milestone_id):
    return get_object_or_404(
        Milestone.objects.select_related("community"), community=community, pk=milestone_id
    )


def _task(community, task_id):
    return get_object_or_404(
        Task.objects.select_related("milestone__community"),
        milestone__community=community,
        pk=task_id,
    )


def _apply_errors(form, error):
    """Errors raised by a service shown beside the form's fields."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def milestone_list(request, slug):
    community = community_for(request, slug, content=True)
    today = timezone.localdate()
    plan = planning.plan_of(community)
    user = request.user
    for milestone in plan:
        for task in milestone.tasks.all():
            task.milestone = milestone
            milestone.community = community
            task.can_move = user.has_perm("communities.move_task", task)
            task.can_volunteer = user.has_perm("communities.volunteer_for_task", task)
    context = {
        "community": community,
        "plan": plan,
        "today": today,
        "timeline": build_timeline(community, plan, today),
        "can": {"plan": request.user.has_perm(PLAN, community)},
        "statuses": TaskStatus.choices,
    }
    return render(request, "communities/milestone_list.html", context)


def _plan_form(request, form, save, *, saved_message, template, context):
    """The shape every planning form shares: on a valid POST the service saves (and returns the
    milestone or task saved); a refusal is shown on the form, a success leads back to the plan,
    at the saved item."""
    if request.method == "POST" and form.is_valid():
        try:
            item = save(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, saved_message)
            anchor = f"#{'task' if isinstance(item, Task) else 'milestone'}-{item.pk}"
            return redirect(planning.milestones_url(context["community"]) + anchor)
    return render(request, template, {**context, "form": form})


def milestone_add(request, slug):
    community = community_for(request, slug, content=True)
    require(request, PLAN, community)
    return _plan_form(
        request,
        MilestonePlanForm(request.POST or None, community=community),
        lambda data: planning.add_milestone(request.user, community, **data),
        saved_message=_("The milestone has been added."),
        template="communities/milestone_form.html",
        context={"community": community, "milestone": None},
    )


def milestone_edit(request, slug, milestone_id):
    community = community_for(request, slug, content=True)
    milestone = _milestone(community, milestone_id)
    require(request, PLAN, community)
    # The form works on a copy: the service compares the saved values with the new ones.
    return _plan_form(
        request,
        MilestonePlanForm(request.POST or None, instance=copy.copy(milestone), community=community),
        lambda data: planning.edit_milestone(request.user, milestone, **data),
        saved_message=_("The milestone has been saved."),
        template="communities/milestone_form.html",
        context={"community": community, "milestone": milestone},
    )


@require_POST
def milestone_complete(request, slug, milestone_id):
    community = community_for(request, slug, content=True)
    milestone = _milestone(community, milestone_id)
    require(request, PLAN, community)
    done = request.POST.get("done") != "0"
    planning.complete_milestone(request.user, milestone, done=done)
    if done:
        messages.success(request, _("The milestone is marked reached."))
    else:
        messages.success(request, _("The milestone is marked not reached."))
    return redirect(planning.milestones_url(community) + f"#milestone-{milestone.pk}")


def task_add(request, slug, milestone_id):
    community = community_for(request, slug, content=True)
    milestone = _milestone(community, milestone_id)
    require(request, PLAN, community)
    return _plan_form(
        request,
        TaskForm(request.POST or None, community=community),
        lambda data: planning.add_task(request.user, milestone, **data),
        saved_message=_("The task has been added."),
        template="communities/task_form.html",
        context={"community": community, "milestone": milestone, "task": None},
    )


def task_edit(request, slug, task_id):
    community = community_for(request, slug, content=True)
    task = _task(community, task_id)
    require(request, PLAN, community)
    return _plan_form(
        request,
        TaskForm(request.POST or None, instance=copy.copy(task), community=community),
        lambda data: planning.edit_task(request.user, task, **data),
        saved_message=_("The task has been saved."),
        template="communities/task_form.html",
        context={"community": community, "milestone": task.milestone, "task": task},
    )


@require_POST
def task_volunteer(request, slug, task_id):
    """ "Je m'en occupe": a member takes an unassigned task of this community's plan."""
    community = community_for(request, slug, content=True)
    task = _task(community, task_id)
    task.milestone.community = community
    if not request.user.has_perm("communities.volunteer_for_task", task):
        if task.owner_id is not None and task.owner_id != request.user.pk:
            messages.error(request, _("Someone has already taken this task."))
            return redirect(planning.milestones_url(community) + f"#task-{task.pk}")
        require(request, "communities.volunteer_for_task", task)
    try:
        planning.volunteer_for_task(request.user, task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You take on “%(title)s”; the lead is told.") % {"title": task.title}
        )
    return redirect(planning.milestones_url(community) + f"#task-{task.pk}")


@require_POST
def task_status(request, slug, task_id):
    community = community_for(request, slug, content=True)
    task = _task(community, task_id)
    task.milestone.community = community
    require(request, "communities.move_task", task)
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
    else:
        try:
            planning.set_task_status(request.user, task, form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The task is now “%(status)s”.") % {"status": task.get_status_display()},
            )
    return redirect(planning.milestones_url(community) + f"#task-{task.pk}")
