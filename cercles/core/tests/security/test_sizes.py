"""No page grows without bound (issue 19, deliverable 8).

The framing editor took 11 s with 250 milestones: one query per row for the owners' choices,
and every row rendered. It now reads the owners once and shows the first EDITOR_ROWS rows of
each part, saying how many more there are and linking to the action plan.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cercles.communities.forms_framing import EDITOR_ROWS
from cercles.communities.lifecycle import State
from cercles.communities.models import Milestone
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.communities.tests.test_views_framing import formset_data, framing_data


@pytest.fixture
def long_plan(db):
    community = CommunityFactory(state=State.DRAFT, with_framing=False)
    for _ in range(20):
        add_member(community)
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            community=community, title=f"Jalon {i}", due_date=today + datetime.timedelta(days=i + 1)
        )
        for i in range(250)
    )
    return community


def test_framing_editor_with_250_milestones_is_bounded(
    client, long_plan, django_assert_max_num_queries
):
    client.force_login(long_plan.lead)
    url = reverse("communities:framing", args=[long_plan.slug])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    page = response.content.decode()
    assert page.count('name="milestones-') < (EDITOR_ROWS + 2) * 8
    assert "Jalon 0" in page and f"Jalon {EDITOR_ROWS}" not in page
    assert "210" in page  # 250 - 40 more rows, said
    assert reverse("communities:milestones", args=[long_plan.slug]) in page


def test_saving_the_editor_keeps_the_rows_it_does_not_show(client, long_plan):
    client.force_login(long_plan.lead)
    url = reverse("communities:framing", args=[long_plan.slug])
    shown = list(long_plan.milestones.all()[:EDITOR_ROWS])
    rows = [
        {
            "id": m.pk,
            "title": m.title,
            "due_date": m.due_date.isoformat(),
            "description": "",
            "owner": "",
        }
        for m in shown
    ]
    data = framing_data(None)
    data.update(formset_data("milestones", rows, initial=len(rows)))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert long_plan.milestones.count() == 250


# --- Ceilings on the lists people grow ---------------------------------------------------------


def test_the_framing_editor_takes_no_row_beyond_the_ceiling(client, long_plan):
    """250 milestones from before still save; one more is a form error, nothing is added."""
    from cercles.communities.forms_framing import MAX_PART_ROWS

    client.force_login(long_plan.lead)
    url = reverse("communities:framing", args=[long_plan.slug])
    shown = list(long_plan.milestones.all()[:EDITOR_ROWS])
    rows = [
        {"id": m.pk, "title": m.title, "due_date": m.due_date.isoformat(), "description": "",
         "owner": ""}
        for m in shown
    ]  # fmt: skip
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    new = {"title": "Un de plus", "due_date": due, "description": "", "owner": ""}
    data = framing_data(None)
    data.update(formset_data("milestones", [*rows, new], initial=len(rows)))
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"au plus {MAX_PART_ROWS} lignes" in response.content.decode()
    assert long_plan.milestones.count() == 250


def test_a_small_framing_grows_up_to_the_ceiling(client, db):
    from cercles.communities.forms_framing import MAX_PART_ROWS

    community = CommunityFactory(state=State.DRAFT, with_framing=False)
    client.force_login(community.lead)
    url = reverse("communities:framing", args=[community.slug])
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    row = {"title": "Jalon", "due_date": due, "description": "", "owner": ""}
    data = framing_data(None)
    data.update(formset_data("milestones", [row] * (MAX_PART_ROWS + 1), initial=0))
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"au plus {MAX_PART_ROWS} lignes" in response.content.decode()
    assert community.milestones.count() == 0
    data = framing_data(None)
    data.update(formset_data("milestones", [row] * MAX_PART_ROWS, initial=0))
    response = client.post(url, data)
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "error" in line
    ][:10]
    assert community.milestones.count() == MAX_PART_ROWS


def test_the_action_plan_takes_no_milestone_or_task_beyond_the_ceiling(client, db):
    from cercles.communities.models import Task
    from cercles.communities.planning import MAX_MILESTONES, MAX_TASKS_PER_MILESTONE

    community = CommunityFactory(with_framing=False)
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(community=community, title=f"Jalon {i}", due_date=today)
        for i in range(MAX_MILESTONES)
    )
    milestone = community.milestones.first()
    Task.objects.bulk_create(
        Task(milestone=milestone, title=f"Tâche {i}") for i in range(MAX_TASKS_PER_MILESTONE)
    )
    client.force_login(community.lead)
    due = (today + datetime.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("communities:milestone_add", args=[community.slug]),
        {"title": "Un de plus", "due_date": due, "description": "", "owner": ""},
    )
    assert response.status_code in (200, 400)
    assert "au plus 50 jalons" in response.content.decode()
    assert community.milestones.count() == MAX_MILESTONES
    response = client.post(
        reverse("communities:task_add", args=[community.slug, milestone.pk]),
        {"title": "Une de plus", "due_date": "", "owner": "", "status": "todo"},
    )
    assert response.status_code in (200, 400)
    assert "au plus 50 tâches" in response.content.decode()
    assert milestone.tasks.count() == MAX_TASKS_PER_MILESTONE


def test_a_season_takes_no_objective_beyond_the_ceiling(client, db):
    from cercles.seasons.models import Objective
    from cercles.seasons.services import MAX_OBJECTIVES
    from cercles.seasons.tests.factories import SeasonFactory

    season = SeasonFactory()
    Objective.objects.bulk_create(
        Objective(season=season, title=f"Objectif {i}", position=i) for i in range(MAX_OBJECTIVES)
    )
    client.force_login(season.community.lead)
    url = reverse("seasons:objective_add", args=[season.community.slug, season.pk])
    response = client.post(url, {"title": "Un de plus", "description": ""})
    assert response.status_code in (200, 400)
    assert f"au plus {MAX_OBJECTIVES} objectifs" in response.content.decode()
    assert season.objectives.count() == MAX_OBJECTIVES


def test_a_survey_question_takes_no_choice_beyond_the_ceiling():
    from cercles.surveys.forms import MAX_CHOICES, QuestionForm

    def form(count):
        lines = "\n".join(f"Choix {i}" for i in range(count))
        return QuestionForm({"text": "Laquelle ?", "kind": "single", "choices": lines})

    assert form(MAX_CHOICES).is_valid()
    too_many = form(MAX_CHOICES + 1)
    assert not too_many.is_valid()
    assert f"au plus {MAX_CHOICES} choix" in str(too_many.errors["choices"])


def test_the_accompaniment_takes_no_need_or_session_beyond_the_ceiling(client, db):
    from cercles.accounts.tests.factories import CoordinatorFactory
    from cercles.mentoring import services
    from cercles.mentoring.models import MentoringSession, MentorKind, Mentorship, SupportNeed

    community = CommunityFactory()
    SupportNeed.objects.bulk_create(
        SupportNeed(community=community, subject="facilitation", description=f"Besoin {i}")
        for i in range(services.MAX_NEEDS)
    )
    client.force_login(community.lead)
    response = client.post(
        reverse("mentoring:need_new", args=[community.slug]),
        {
            "subject": "funding",
            "scope": "collective",
            "urgency": "high",
            "description": "Un de plus",
        },
    )
    assert response.status_code == 400
    assert f"au plus {services.MAX_NEEDS} besoins" in response.content.decode()
    assert SupportNeed.objects.filter(community=community).count() == services.MAX_NEEDS
    need = SupportNeed.objects.filter(community=community).first()
    mentor = CoordinatorFactory()
    mentorship = Mentorship.objects.create(
        need=need, community=community, mentor=mentor, kind=MentorKind.COORDINATOR
    )
    MentoringSession.objects.bulk_create(
        MentoringSession(
            mentorship=mentorship,
            held_on=timezone.localdate(),
            format="remote",
            notes=f"Séance {i}",
            author=mentor,
        )  # fmt: skip
        for i in range(services.MAX_SESSIONS)
    )
    with pytest.raises(ValidationError, match=str(services.MAX_SESSIONS)):
        services.log_session(
            mentor, mentorship, held_on=timezone.localdate(), format="remote", notes="Encore"
        )
    assert mentorship.sessions.count() == services.MAX_SESSIONS


def test_a_person_gives_no_piece_to_a_report_beyond_the_ceiling(db):
    from cercles.reporting import reports
    from cercles.reporting.tests.test_reports import draft

    community = CommunityFactory()
    member = add_member(community).user
    block = draft().blocks.get(community=community)
    for i in range(reports.MAX_CONTRIBUTIONS_PER_PERSON):
        reports.contribute(member, block, text=f"Nouvelle {i}")
    with pytest.raises(ValidationError, match="pieces|contributions|éléments"):
        reports.contribute(member, block, text="Une de plus")
    assert block.contributions.count() == reports.MAX_CONTRIBUTIONS_PER_PERSON
