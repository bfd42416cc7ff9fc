"""The action plan of a running community: milestones and the tasks under them.

Every change goes through these functions, which check the permission themselves. Milestones of a
community still being framed are edited with the framing (services.save_framing).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cercles.core.audit import record_event
from cercles.core.words import format_date
from cercles.notifications.services import notify

from .archive import ensure_writable
from .lifecycle import State
from .models import Membership, MembershipStatus, Milestone, Task, TaskStatus
from .services import leaders_of

PLAN = "communities.plan_milestones"
# Reminders go out for what falls due within this many days (and was not reminded yet).
REMIND_DAYS_AHEAD = 3

# Lists people grow have a ceiling (issue 19, deliverable 8): a page never grows without bound.
MAX_MILESTONES = 50
MAX_TASKS_PER_MILESTONE = 50

MILESTONE_FIELDS = ("title", "due_date", "description", "owner")
TASK_FIELDS = ("title", "due_date", "owner", "status")


def _require(actor, community):
    ensure_writable(community)
    if not actor.has_perm(PLAN, community):
        raise PermissionDenied


def milestones_url(community):
    return reverse("communities:milestones", args=[community.slug])


def owner_problems(community, owner):
    """An owner must be an active member of the community."""
    if owner is None:
        return []
    is_member = Membership.objects.filter(
        community=community, user=owner, status=MembershipStatus.ACTIVE
    ).exists()
    if not is_member:
        return [
            _("%(name)s is not an active member of this community: choose a member.")
            % {"name": owner.name}
        ]
    return []


def date_problems(community, due_date, *, newly_dated):
    """A new date is neither in the past nor after the community's planned end.

    Dates already planned are left alone, so that a date now past (or beyond an end moved
    earlier) never blocks marking the item done or renaming it.
    """
    if due_date is None:
        return []
    problems = []
    shown = formats.date_format(due_date, "SHORT_DATE_FORMAT")
    if newly_dated and due_date < timezone.localdate():
        problems.append(_("This date (%(date)s) is in the past.") % {"date": shown})
    if newly_dated and community.end_date and due_date > community.end_date:
        problems.append(
            _("This date (%(date)s) is after the community's planned end (%(end)s).")
            % {
                "date": shown,
                "end": formats.date_format(community.end_date, "SHORT_DATE_FORMAT"),
            }
        )
    return problems


def _check(item, community, *, newly_dated, owner_changed):
    errors = {}
    dates = date_problems(community, item.due_date, newly_dated=newly_dated)
    if dates:
        errors["due_date"] = dates
    if owner_changed:
        owners = owner_problems(community, item.owner)
        if owners:
            errors["owner"] = owners
    try:
        item.full_clean(exclude=["community", "milestone"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _notify_owner(actor, item, community, kind_item):
    owner = item.owner
    if owner is None or owner.pk == actor.pk:
        return
    url = milestones_url(community) + f"#{kind_item}-{item.pk}"
    transaction.on_commit(
        lambda: notify(
            owner,
            "communities.milestone_assigned",
            actor=actor,
            url=url,
            item=kind_item,
            title=item.title,
            community=community.title,
            community_id=community.pk,
        )
    )


# --- milestones -------------------------------------------------------------------------------


@transaction.atomic
def add_milestone(actor, community, *, title, due_date, description="", owner=None):
    _require(actor, community)
    if Milestone.objects.filter(community=community).count() >= MAX_MILESTONES:
        raise ValidationError(
            _(
                "A community has at most %(max)d milestones: mark the reached ones as done "
                "and group the others, or plan tasks under them."
            )
            % {"max": MAX_MILESTONES}
        )
    milestone = Milestone(
        community=community, title=title, due_date=due_date, description=description, owner=owner
    )
    _check(
        milestone,
        community,
        newly_dated=True,
        owner_changed=owner is not None,
    )
    milestone.save()
    record_event(actor, "milestone.added", community, milestone=milestone.pk)
    _notify_owner(actor, milestone, community, "milestone")
    return milestone


@transaction.atomic
def edit_milestone(actor, milestone, **changes):
    """Change some of title, due_date, description, owner; a new owner is told."""
    community = milestone.community
    _require(actor, community)
    unknown = set(changes) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"unknown milestone fields: {sorted(unknown)}")
    previous_owner, previous_date = milestone.owner_id, milestone.due_date
    for field, value in changes.items():
        setattr(milestone, field, value)
    owner_changed = milestone.owner_id != previous_owner
    date_changed = milestone.due_date != previous_date
    _check(
        milestone,
        community,
        newly_dated=date_changed,
        owner_changed=owner_changed,
    )
    if date_changed:
        milestone.reminded_at = None
    milestone.save()
    record_event(actor, "milestone.edited", community, milestone=milestone.pk, fields=list(changes))
    if owner_changed:
        _notify_owner(actor, milestone, community, "milestone")
    return milestone


@transaction.atomic
def complete_milestone(actor, milestone, *, done=True):
    """Mark a milestone reached (or not reached again)."""
    _require(actor, milestone.community)
    milestone.done = done
    milestone.save(update_fields=["done"])
    record_event(
        actor,
        "milestone.reached" if done else "milestone.reopened",
        milestone.community,
        milestone=milestone.pk,
    )
    return milestone


# --- tasks ------------------------------------------------------------------------------------


@transaction.atomic
def add_task(actor, milestone, *, title, owner=None, due_date=None, status=TaskStatus.TODO):
    community = milestone.community
    _require(actor, community)
    if milestone.tasks.count() >= MAX_TASKS_PER_MILESTONE:
        raise ValidationError(
            _("A milestone has at most %(max)d tasks: split it into two milestones.")
            % {"max": MAX_TASKS_PER_MILESTONE}
        )
    task = Task(milestone=milestone, title=title, owner=owner, due_date=due_date, status=status)
    _check(task, community, newly_dated=True, owner_changed=owner is not None)
    task.save()
    record_event(actor, "task.added", community, task=task.pk, milestone=milestone.pk)
    _notify_owner(actor, task, community, "task")
    return task


@transaction.atomic
def edit_task(actor, task, **changes):
    """Change some of title, due_date, owner, status; a new owner is told."""
    community = task.milestone.community
    _require(actor, community)
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    previous_owner, previous_date = task.owner_id, task.due_date
    for field, value in changes.items():
        setattr(task, field, value)
    owner_changed = task.owner_id != previous_owner
    date_changed = task.due_date != previous_date
    _check(task, community, newly_dated=date_changed, owner_changed=owner_changed)
    if date_changed:
        task.reminded_at = None
    if owner_changed:
        task.volunteered_at = None
    task.save()
    record_event(actor, "task.edited", community, task=task.pk, fields=list(changes))
    if owner_changed:
        _notify_owner(actor, task, community, "task")
    return task


@transaction.atomic
def set_task_status(actor, task, status):
    """Move a task through its statuses: its owner does it, or whoever plans (seed 000)."""
    ensure_writable(task.milestone.community)
    if not actor.has_perm("communities.move_task", task):
        raise PermissionDenied
    if status not in TaskStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    task.status = status
    task.save(update_fields=["status", "updated_at"])
    record_event(actor, "task.moved", task.milestone.community, task=task.pk, status=status)
    return task


@transaction.atomic
def volunteer_for_task(actor, task):
    """ "Je m'en occupe": an active member takes an unassigned task; the leads are told."""
    community = task.milestone.community
    ensure_writable(community)
    # Two members volunteering at once: the second one sees the first.
    locked = Task.objects.select_for_update().get(pk=task.pk)
    task.owner_id, task.status = locked.owner_id, locked.status
    if task.owner_id is not None and task.owner_id != actor.pk:
        raise ValidationError(_("Someone has already taken this task."))
    if not actor.has_perm("communities.volunteer_for_task", task):
        raise PermissionDenied
    task.owner = actor
    task.volunteered_at = timezone.now()
    task.save(update_fields=["owner", "volunteered_at", "updated_at"])
    record_event(actor, "task.volunteered", community, task=task.pk)
    recipients = [person for person in leaders_of(community) if person.pk != actor.pk]
    url = milestones_url(community) + f"#task-{task.pk}"
    transaction.on_commit(
        lambda: notify(
            recipients,
            "communities.task_volunteered",
            actor=actor,
            url=url,
            title=task.title,
            community=community.title,
            community_id=community.pk,
        )
    )
    return task


def complete_task(actor, task):
    return set_task_status(actor, task, TaskStatus.DONE)


# --- reminders --------------------------------------------------------------------------------


def send_due_reminders(today=None):
    """Remind owners (or the leads, when nobody is in charge) of what falls due within three days.

    Each milestone and task is reminded once; changing its date allows a new reminder. Returns the
    number of items reminded.
    """
    today = today or timezone.localdate()
    window = (today, today + datetime.timedelta(days=REMIND_DAYS_AHEAD))
    running = [State.OPEN, State.ACTIVE]
    milestones = Milestone.objects.filter(
        done=False,
        reminded_at=None,
        due_date__range=window,
        community__state__in=running,
    ).select_related("community", "owner")
    tasks = (
        Task.objects.filter(reminded_at=None, due_date__range=window)
        .exclude(status=TaskStatus.DONE)
        .filter(milestone__community__state__in=running)
        .select_related("milestone__community", "owner")
    )
    count = 0
    for item, community, kind_item in [
        *((m, m.community, "milestone") for m in milestones),
        *((t, t.milestone.community, "task") for t in tasks),
    ]:
        with transaction.atomic():
            # Claimed first, so that two consumers running the job never remind twice.
            claimed = (
                type(item)
                .objects.filter(pk=item.pk, reminded_at=None)
                .update(reminded_at=timezone.now())
            )
            if not claimed:
                continue
            recipients = _reminded_people(item, community)
            notify(
                recipients,
                "communities.milestone_due",
                url=milestones_url(community) + f"#{kind_item}-{item.pk}",
                item=kind_item,
                title=item.title,
                community=community.title,
                community_id=community.pk,
                date=format_date(item.due_date),
            )
            count += 1
    return count


def _reminded_people(item, community):
    if (
        item.owner is not None
        and Membership.objects.filter(
            community=community, user=item.owner, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        return [item.owner]
    return list(leaders_of(community))


def plan_of(community):
    """The community's milestones with their tasks and owners, in date order (two queries)."""
    return list(
        community.milestones.select_related("owner").prefetch_related(
            Prefetch("tasks", queryset=Task.objects.select_related("owner"))
        )
    )
