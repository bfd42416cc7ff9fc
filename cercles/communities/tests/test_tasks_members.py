"""Members own their steps (issue 11, seed 000): a task's owner moves it through its statuses,
any active member takes an unassigned task ("je m'en occupe"), the lead sees who volunteered."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cercles.communities import planning
from cercles.communities.lifecycle import State
from cercles.communities.models import Milestone, Role, Task, TaskStatus, Visibility
from cercles.notifications.models import Notification

from .factories import CommunityFactory, add_member
from .test_rules import ROLES, person_with_role

pytestmark = pytest.mark.django_db


def make_task(community, owner=None, **fields):
    milestone = Milestone.objects.create(
        community=community,
        title="Atelier",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    return Task.objects.create(
        milestone=milestone, title="Réserver la salle", owner=owner, **fields
    )


MOVERS = {"core", "co_lead", "lead"}
VOLUNTEERS = {"outer", "inner", "core", "co_lead", "lead"}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_tasks(role):
    community = CommunityFactory(visibility=Visibility.NETWORK)
    person = person_with_role(role, community)
    unassigned = make_task(community)
    someone_elses = make_task(community, owner=add_member(community, Role.INNER).user)
    assert person.has_perm("communities.move_task", someone_elses) is (role in MOVERS)
    assert person.has_perm("communities.volunteer_for_task", unassigned) is (role in VOLUNTEERS)
    assert person.has_perm("communities.volunteer_for_task", someone_elses) is False
    if role in VOLUNTEERS:
        own = make_task(community, owner=person)
        assert person.has_perm("communities.move_task", own) is True


def test_an_outer_member_marks_their_own_task_done():
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    task = make_task(community, owner=outer)
    planning.set_task_status(outer, task, TaskStatus.DONE)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE


def test_a_member_cannot_move_someone_elses_task():
    community = CommunityFactory()
    inner = add_member(community, Role.INNER).user
    task = make_task(community, owner=add_member(community, Role.OUTER).user)
    with pytest.raises(PermissionDenied):
        planning.set_task_status(inner, task, TaskStatus.DONE)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.TODO


def test_an_archived_community_keeps_its_tasks_as_they_were():
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    task = make_task(community, owner=outer)
    community.state = State.ARCHIVED
    community.save()
    task.milestone.community = community
    with pytest.raises(Exception):  # noqa: B017 (CommunityArchived or PermissionDenied)
        planning.set_task_status(outer, task, TaskStatus.DONE)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.TODO


def test_volunteering_takes_the_task_and_tells_the_lead(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    task = make_task(community)
    with django_capture_on_commit_callbacks(execute=True):
        planning.volunteer_for_task(outer, task)
    task.refresh_from_db()
    assert task.owner == outer and task.volunteered_at is not None
    notification = Notification.objects.get(recipient=community.lead)
    assert notification.kind == "communities.task_volunteered"
    # Someone else cannot take it any more.
    other = add_member(community, Role.INNER).user
    with pytest.raises(ValidationError):
        planning.volunteer_for_task(other, Task.objects.get(pk=task.pk))
    assert Task.objects.get(pk=task.pk).owner == outer


def test_reassigning_a_task_forgets_that_it_was_volunteered():
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    task = make_task(community)
    planning.volunteer_for_task(outer, task)
    inner = add_member(community, Role.INNER).user
    planning.edit_task(community.lead, Task.objects.get(pk=task.pk), owner=inner)
    assert Task.objects.get(pk=task.pk).volunteered_at is None


# --- pages ------------------------------------------------------------------------------------


def url(name, community, *args):
    return reverse(f"communities:{name}", args=[community.slug, *args])


def test_a_member_volunteers_and_marks_the_task_done_from_the_plan(client):
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    task = make_task(community)
    client.force_login(outer)
    page = client.get(url("milestones", community)).content.decode()
    assert url("task_volunteer", community, task.pk) in page
    assert client.post(url("task_volunteer", community, task.pk)).status_code == 302
    page = client.get(url("milestones", community)).content.decode()
    assert url("task_status", community, task.pk) in page
    client.post(url("task_status", community, task.pk), {"status": "done"})
    assert Task.objects.get(pk=task.pk).status == TaskStatus.DONE
    # The lead sees who volunteered.
    client.force_login(community.lead)
    page = client.get(url("milestones", community))
    assert "volunteered on" in page.content.decode() or "volontaire" in page.content.decode()


def test_volunteering_for_a_task_of_another_community_answers_404(client):
    community, other = CommunityFactory(), CommunityFactory()
    member = add_member(community, Role.INNER).user
    add_member(other, Role.INNER, user=member)
    task = make_task(other)
    client.force_login(member)
    # The forged address names a community the task is not in.
    assert client.post(url("task_volunteer", community, task.pk)).status_code == 404
    assert (
        client.post(url("task_status", community, task.pk), {"status": "done"}).status_code == 404
    )
    task.refresh_from_db()
    assert task.owner is None and task.status == TaskStatus.TODO


def test_volunteering_for_a_taken_task_says_so_and_changes_nothing(client):
    community = CommunityFactory()
    owner = add_member(community, Role.INNER).user
    task = make_task(community, owner=owner)
    client.force_login(add_member(community, Role.OUTER).user)
    response = client.post(url("task_volunteer", community, task.pk), follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert Task.objects.get(pk=task.pk).owner == owner


def test_a_member_cannot_move_someone_elses_task_from_the_page(client):
    community = CommunityFactory()
    task = make_task(community, owner=add_member(community, Role.INNER).user)
    client.force_login(add_member(community, Role.OUTER).user)
    assert (
        client.post(url("task_status", community, task.pk), {"status": "done"}).status_code == 403
    )
    assert Task.objects.get(pk=task.pk).status == TaskStatus.TODO


def test_the_plan_page_stays_bounded(client, django_assert_max_num_queries):
    community = CommunityFactory()
    outer = add_member(community, Role.OUTER).user
    for _n in range(5):
        make_task(community)
    client.force_login(outer)
    with django_assert_max_num_queries(12):
        client.get(url("milestones", community))
