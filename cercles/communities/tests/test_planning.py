"""The action plan's services: milestones, tasks, owners, dates, reminders, permissions."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import planning
from cercles.communities.lifecycle import State
from cercles.communities.models import MembershipStatus, Milestone, Role, Task, TaskStatus
from cercles.communities.tasks import remind_due_milestones
from cercles.core.models import AuditEvent
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member
from .test_rules import ROLES, VISIBILITIES, person_with_role


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the services' messages in English (the default language is French)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def community():
    return CommunityFactory()


@pytest.fixture
def lead(community):
    return community.lead


def notifications(kind, person):
    return Notification.objects.filter(kind=kind, recipient=person)


# --- permission matrix ------------------------------------------------------------------------

PLANNERS = {"lead", "co_lead", "core"}


@pytest.mark.parametrize(("role", "visibility"), list(itertools.product(ROLES, VISIBILITIES)))
def test_who_plans_milestones(role, visibility):
    community = CommunityFactory(visibility=visibility)
    person = person_with_role(role, community)
    expected = role in PLANNERS
    assert person.has_perm("communities.plan_milestones", community) is expected


@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.CLOSED, State.ARCHIVED])
def test_milestones_are_planned_here_only_while_the_community_runs(state):
    community = CommunityFactory(state=state)
    assert not community.lead.has_perm("communities.plan_milestones", community)


def test_open_communities_plan_too():
    community = CommunityFactory(state=State.OPEN)
    assert community.lead.has_perm("communities.plan_milestones", community)


# --- milestones -------------------------------------------------------------------------------


def test_adding_a_milestone_tells_its_owner(community, lead, django_capture_on_commit_callbacks):
    owner = add_member(community, Role.CORE).user
    with django_capture_on_commit_callbacks(execute=True):
        milestone = planning.add_milestone(
            lead, community, title="Guide relu", due_date=in_days(40), owner=owner
        )
    note = notifications("communities.milestone_assigned", owner).get()
    assert "Guide relu" in note.message
    assert note.url.endswith(f"/milestones/#milestone-{milestone.pk}")
    assert AuditEvent.objects.filter(action="milestone.added").exists()


def test_a_planner_who_takes_a_milestone_is_not_notified(
    community, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.add_milestone(lead, community, title="Bilan", due_date=in_days(10), owner=lead)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", [MembershipStatus.LEFT, MembershipStatus.PENDING, None])
def test_a_milestone_owner_must_be_an_active_member(community, lead, status):
    stranger = UserFactory()
    if status:
        add_member(community, Role.INNER, status, user=stranger)
    with pytest.raises(ValidationError) as error:
        planning.add_milestone(
            lead, community, title="Atelier", due_date=in_days(10), owner=stranger
        )
    assert "not an active member" in " ".join(error.value.message_dict["owner"])
    assert not community.milestones.filter(title="Atelier").exists()


def test_a_milestone_after_the_planned_end_is_refused(community, lead):
    with pytest.raises(ValidationError) as error:
        planning.add_milestone(
            lead, community, title="Trop tard", due_date=community.end_date + datetime.timedelta(1)
        )
    assert "after the community's planned end" in " ".join(error.value.message_dict["due_date"])


def test_a_new_milestone_in_the_past_is_refused(community, lead):
    with pytest.raises(ValidationError) as error:
        planning.add_milestone(lead, community, title="Hier", due_date=in_days(-1))
    assert "in the past" in " ".join(error.value.message_dict["due_date"])


def test_an_empty_title_is_refused(community, lead):
    with pytest.raises(ValidationError) as error:
        planning.add_milestone(lead, community, title="", due_date=in_days(3))
    assert "title" in error.value.message_dict


def test_inner_members_cannot_plan(community):
    inner = add_member(community, Role.INNER).user
    with pytest.raises(PermissionDenied):
        planning.add_milestone(inner, community, title="X", due_date=in_days(3))
    milestone = community.milestones.first()
    with pytest.raises(PermissionDenied):
        planning.complete_milestone(inner, milestone)
    with pytest.raises(PermissionDenied):
        planning.add_task(inner, milestone, title="Y")


def test_editing_a_milestone_tells_the_new_owner_only(
    community, lead, django_capture_on_commit_callbacks
):
    first, second = add_member(community).user, add_member(community).user
    milestone = planning.add_milestone(
        lead, community, title="Atelier", due_date=in_days(20), owner=first
    )
    with django_capture_on_commit_callbacks(execute=True):
        planning.edit_milestone(lead, milestone, title="Atelier régional")
    assert not notifications("communities.milestone_assigned", first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        planning.edit_milestone(lead, milestone, owner=second)
    assert notifications("communities.milestone_assigned", second).count() == 1
    milestone.refresh_from_db()
    assert (milestone.title, milestone.owner) == ("Atelier régional", second)


def test_a_past_milestone_can_still_be_edited_and_reached(community, lead):
    milestone = community.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(due_date=in_days(-10))
    milestone.refresh_from_db()
    planning.edit_milestone(lead, milestone, description="Reporté")
    planning.complete_milestone(lead, milestone)
    milestone.refresh_from_db()
    assert milestone.done and milestone.description == "Reporté"
    planning.complete_milestone(lead, milestone, done=False)
    milestone.refresh_from_db()
    assert not milestone.done


def test_unknown_fields_are_a_programming_error(community, lead):
    with pytest.raises(TypeError):
        planning.edit_milestone(lead, community.milestones.first(), community=None)


# --- tasks ------------------------------------------------------------------------------------


def test_adding_a_task_tells_its_owner(community, lead, django_capture_on_commit_callbacks):
    owner = add_member(community, Role.OUTER).user
    milestone = community.milestones.first()
    with django_capture_on_commit_callbacks(execute=True):
        task = planning.add_task(
            lead, milestone, title="Rédiger la fiche", owner=owner, due_date=in_days(5)
        )
    assert task.status == TaskStatus.TODO
    note = notifications("communities.milestone_assigned", owner).get()
    assert "task" in note.message and "Rédiger la fiche" in note.message
    assert note.url.endswith(f"#task-{task.pk}")


def test_a_task_owner_who_is_not_a_member_is_refused(community, lead):
    milestone = community.milestones.first()
    outsider = UserFactory(display_name="Paul Outsider")
    with pytest.raises(ValidationError) as error:
        planning.add_task(lead, milestone, title="Fiche", owner=outsider)
    assert "Paul Outsider is not an active member" in " ".join(error.value.message_dict["owner"])
    assert not Task.objects.exists()


def test_a_task_owner_from_another_community_is_refused(community, lead):
    elsewhere = add_member(CommunityFactory()).user
    task = planning.add_task(lead, community.milestones.first(), title="Fiche")
    with pytest.raises(ValidationError):
        planning.edit_task(lead, task, owner=elsewhere)
    task.refresh_from_db()
    assert task.owner is None


def test_a_task_after_the_planned_end_is_refused(community, lead):
    with pytest.raises(ValidationError) as error:
        planning.add_task(
            lead,
            community.milestones.first(),
            title="Trop tard",
            due_date=community.end_date + datetime.timedelta(days=3),
        )
    assert "due_date" in error.value.message_dict


def test_task_status_moves_and_completes(community, lead):
    task = planning.add_task(lead, community.milestones.first(), title="Fiche")
    planning.set_task_status(lead, task, TaskStatus.DOING)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DOING
    planning.complete_task(lead, task)
    assert Task.objects.get(pk=task.pk).done
    with pytest.raises(ValidationError):
        planning.set_task_status(lead, task, "abandoned")


def test_core_members_plan_tasks(community):
    core = add_member(community, Role.CORE).user
    task = planning.add_task(core, community.milestones.first(), title="Fiche", owner=core)
    assert task.pk


# --- reminders --------------------------------------------------------------------------------


def test_items_due_within_three_days_are_reminded_once(community, lead):
    owner = add_member(community).user
    milestone = planning.add_milestone(
        lead, community, title="Restitution", due_date=in_days(3), owner=owner
    )
    task = planning.add_task(lead, milestone, title="Salle", due_date=in_days(2))
    planning.add_task(lead, milestone, title="Plus tard", due_date=in_days(4))
    Notification.objects.all().delete()

    assert remind_due_milestones.call_local() == 2
    assert notifications("communities.milestone_due", owner).get().params["item"] == "milestone"
    # Nobody in charge of the task: the leads hear about it.
    lead_note = notifications("communities.milestone_due", lead).get()
    assert "Salle" in lead_note.message and lead_note.url.endswith(f"#task-{task.pk}")
    assert planning.send_due_reminders() == 0
    assert Notification.objects.filter(kind="communities.milestone_due").count() == 2


def test_a_new_date_brings_a_new_reminder(community, lead):
    milestone = planning.add_milestone(lead, community, title="Bilan", due_date=in_days(1))
    assert planning.send_due_reminders() == 1
    planning.edit_milestone(lead, milestone, due_date=in_days(2))
    assert planning.send_due_reminders() == 1


def test_done_items_and_stopped_communities_are_not_reminded(community, lead):
    milestone = planning.add_milestone(lead, community, title="Bilan", due_date=in_days(1))
    task = planning.add_task(lead, milestone, title="Salle", due_date=in_days(1))
    planning.complete_milestone(lead, milestone)
    planning.complete_task(lead, task)
    closed = CommunityFactory(state=State.CLOSED)
    Milestone.objects.create(community=closed, title="Fin", due_date=in_days(1))
    assert planning.send_due_reminders() == 0


def test_an_owner_who_left_is_replaced_by_the_leads(community, lead):
    membership = add_member(community)
    planning.add_milestone(
        lead, community, title="Bilan", due_date=in_days(1), owner=membership.user
    )
    membership.status = MembershipStatus.LEFT
    membership.save()
    planning.send_due_reminders()
    assert notifications("communities.milestone_due", lead).exists()
    assert not notifications("communities.milestone_due", membership.user).exists()
