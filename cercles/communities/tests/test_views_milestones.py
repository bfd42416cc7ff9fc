"""The milestones pages: timeline and list, forms, bad input, forged URLs, bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities import planning
from cercles.communities.models import Milestone, Role, Task, TaskStatus, Visibility

from .factories import CommunityFactory, add_member

pytestmark = pytest.mark.django_db


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def url(name, community, *args):
    return reverse(f"communities:{name}", args=[community.slug, *args])


@pytest.fixture
def community():
    community = CommunityFactory()
    # The assertions read English messages; French is the default language.
    community.lead.language = "en"
    community.lead.save(update_fields=["language"])
    return community


@pytest.fixture
def lead_client(client, community):
    client.force_login(community.lead)
    return client


def test_the_plan_shows_a_timeline_and_a_list(client, community):
    milestone = community.milestones.get()
    late = Milestone.objects.create(community=community, title="Rapport", due_date=in_days(-5))
    Task.objects.create(milestone=milestone, title="Réserver la salle", due_date=in_days(-2))
    Task.objects.create(
        milestone=late, title="Relire", due_date=in_days(-9), status=TaskStatus.DONE
    )
    client.force_login(add_member(community, Role.OUTER).user)
    response = client.get(url("milestones", community))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="timeline-chart"' in html and 'class="timeline-today"' in html
    assert response.context["timeline"]["overdue"] == 2  # the late milestone and one task
    assert 'id="task-' in html and "Réserver la salle" in html
    assert html.count("timeline-row--overdue") == 2
    # Reading only: no planning action for an outer-circle member.
    assert url("milestone_add", community) not in html
    assert "Mark reached" not in html


def test_svg_numbers_are_not_localised(client, community, settings):
    client.force_login(community.lead)
    response = client.get(url("milestones", community), HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'x1="' in svg
    import re

    for value in re.findall(r' (?:x|x1|x2|cx|cy|y|width|height)="([^"]*)"', svg):
        float(value)  # "12,5" would break the drawing


def test_a_plan_without_milestones_says_so(client):
    community = CommunityFactory(with_framing=False)
    client.force_login(community.lead)
    response = client.get(url("milestones", community))
    assert response.context["timeline"] is None
    assert response.context["plan"] == []
    assert "<svg" not in response.content.decode()


def test_private_plans_answer_404_to_outsiders(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    milestone = community.milestones.get()
    client.force_login(UserFactory())
    assert client.get(url("milestones", community)).status_code == 404
    assert client.get(url("milestone_edit", community, milestone.pk)).status_code == 404
    assert client.post(url("milestone_complete", community, milestone.pk)).status_code == 404


def test_the_lead_adds_a_milestone(lead_client, community):
    owner = add_member(community).user
    response = lead_client.post(
        url("milestone_add", community),
        {"title": "Forum régional", "due_date": in_days(60).isoformat(), "owner": owner.pk},
    )
    milestone = community.milestones.get(title="Forum régional")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#milestone-{milestone.pk}")
    assert milestone.owner == owner


def test_a_milestone_after_the_end_is_shown_as_an_error(lead_client, community):
    response = lead_client.post(
        url("milestone_add", community),
        {
            "title": "Trop tard",
            "due_date": (community.end_date + datetime.timedelta(1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"]
    assert "after the community" in response.content.decode()
    assert not community.milestones.filter(title="Trop tard").exists()


def test_a_forged_owner_is_refused_with_a_clear_message(lead_client, community):
    outsider = UserFactory()
    milestone = community.milestones.get()
    response = lead_client.post(
        url("task_add", community, milestone.pk),
        {"title": "Fiche", "owner": outsider.pk, "status": "todo"},
    )
    assert response.status_code == 200
    assert "Choose an active member of the community." in response.content.decode()
    assert not Task.objects.exists()


def test_the_lead_adds_edits_and_moves_a_task(lead_client, community):
    milestone = community.milestones.get()
    member = add_member(community).user
    response = lead_client.post(
        url("task_add", community, milestone.pk),
        {
            "title": "Fiche",
            "owner": member.pk,
            "due_date": in_days(7).isoformat(),
            "status": "todo",
        },
    )
    task = Task.objects.get()
    assert response["Location"].endswith(f"#task-{task.pk}")
    response = lead_client.post(
        url("task_edit", community, task.pk),
        {"title": "Fiche pratique", "owner": member.pk, "due_date": "", "status": "doing"},
    )
    task.refresh_from_db()
    assert (task.title, task.due_date, task.status) == ("Fiche pratique", None, "doing")
    lead_client.post(url("task_status", community, task.pk), {"status": "done"})
    task.refresh_from_db()
    assert task.done
    response = lead_client.post(
        url("task_status", community, task.pk), {"status": "lost"}, follow=True
    )
    task.refresh_from_db()
    assert task.done
    assert "Choose a status from the list." in response.content.decode()


def test_the_lead_marks_a_milestone_reached_and_back(lead_client, community):
    milestone = community.milestones.get()
    lead_client.post(url("milestone_complete", community, milestone.pk))
    milestone.refresh_from_db()
    assert milestone.done
    lead_client.post(url("milestone_complete", community, milestone.pk), {"done": "0"})
    milestone.refresh_from_db()
    assert not milestone.done


def test_editing_a_milestone_keeps_a_former_owner_selectable(lead_client, community):
    membership = add_member(community)
    milestone = community.milestones.get()
    planning.edit_milestone(community.lead, milestone, owner=membership.user)
    membership.status = "left"
    membership.save()
    response = lead_client.post(
        url("milestone_edit", community, milestone.pk),
        {
            "title": "Atelier revu",
            "due_date": milestone.due_date.isoformat(),
            "owner": membership.user.pk,
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Atelier revu"


@pytest.mark.parametrize("role", [Role.INNER, Role.OUTER])
def test_members_outside_the_core_cannot_plan(client, community, role):
    client.force_login(add_member(community, role).user)
    milestone = community.milestones.get()
    task = Task.objects.create(milestone=milestone, title="Fiche")
    assert client.get(url("milestone_add", community)).status_code == 403
    assert client.post(url("milestone_complete", community, milestone.pk)).status_code == 403
    assert (
        client.post(url("task_status", community, task.pk), {"status": "done"}).status_code == 403
    )
    assert client.get(url("task_edit", community, task.pk)).status_code == 403
    milestone.refresh_from_db()
    task.refresh_from_db()
    assert not milestone.done and task.status == "todo"


def test_forged_urls_across_communities_answer_404(lead_client, community):
    other = CommunityFactory()
    foreign_milestone = other.milestones.get()
    foreign_task = Task.objects.create(milestone=foreign_milestone, title="Ailleurs")
    # The lead of `community` uses its slug with the other community's objects.
    assert (
        lead_client.get(url("milestone_edit", community, foreign_milestone.pk)).status_code == 404
    )
    assert lead_client.get(url("task_add", community, foreign_milestone.pk)).status_code == 404
    assert lead_client.get(url("task_edit", community, foreign_task.pk)).status_code == 404
    response = lead_client.post(url("task_status", community, foreign_task.pk), {"status": "done"})
    assert response.status_code == 404
    response = lead_client.post(url("milestone_complete", community, foreign_milestone.pk))
    assert response.status_code == 404
    foreign_task.refresh_from_db()
    foreign_milestone.refresh_from_db()
    assert foreign_task.status == "todo" and not foreign_milestone.done


def _plan(community, milestones, tasks_each):
    members = [add_member(community).user for _ in range(3)]
    for m in range(milestones):
        milestone = Milestone.objects.create(
            community=community, title=f"Jalon {m}", due_date=in_days(10 * m - 15),
            owner=members[m % 3],
        )  # fmt: skip
        for t in range(tasks_each):
            Task.objects.create(
                milestone=milestone, title=f"Tâche {t}", owner=members[t % 3],
                due_date=in_days(10 * m - 20 + t),
            )  # fmt: skip


def test_the_timeline_costs_the_same_with_2_and_30_milestones(
    client, django_assert_max_num_queries
):
    small, large = CommunityFactory(), CommunityFactory()
    _plan(small, 2, 1)
    _plan(large, 30, 6)
    client.force_login(small.lead)
    client.get(url("milestones", small))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("milestones", small)).status_code == 200
    small_cost = len(queries)
    client.force_login(large.lead)
    client.get(url("milestones", large))
    with django_assert_max_num_queries(small_cost):
        response = client.get(url("milestones", large))
    assert len(response.context["timeline"]["rows"]) == 31 + 30 * 6


def test_the_home_flags_overdue_tasks_at_a_bounded_cost(client, django_assert_max_num_queries):
    small, large = CommunityFactory(), CommunityFactory()
    _plan(small, 1, 1)
    _plan(large, 20, 5)
    client.force_login(small.lead)
    client.get(reverse("communities:detail", args=[small.slug]))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("communities:detail", args=[small.slug]))
    small_cost = len(queries)
    client.force_login(large.lead)
    client.get(reverse("communities:detail", args=[large.slug]))
    with django_assert_max_num_queries(small_cost):
        response = client.get(reverse("communities:detail", args=[large.slug]))
    html = response.content.decode()
    assert "Tâches en retard" in html
    overdue = Task.objects.filter(
        milestone__community=large, due_date__lt=timezone.localdate()
    ).exclude(status=TaskStatus.DONE)
    assert response.context["overdue_tasks"] == overdue.count() == 10
    assert url("milestones", large) in html
