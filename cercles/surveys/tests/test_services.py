import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities import services as community_services
from cercles.communities.lifecycle import State
from cercles.communities.models import Community, Involvement, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.models import AuditEvent
from cercles.notifications.models import Notification
from cercles.surveys import services
from cercles.surveys.models import (
    AnswerValue,
    ExpectationsState,
    Need,
    NeedStatus,
    Participation,
    Question,
    Response,
    Status,
    Survey,
    SurveyFollowUp,
    SurveyKind,
    TemplateQuestion,
)
from cercles.surveys.models import (
    Role as QRole,
)

from .factories import SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English here (the views' tests check the French ones)."""
    with translation.override("en"):
        yield


def answers(questions, scale=4, single="1", multiple=("1", "3"), text="Plus de visites de terrain"):
    return {
        questions[0].pk: scale,
        questions[1].pk: single,
        questions[2].pk: list(multiple),
        questions[3].pk: text,
    }


def by_role(survey):
    return {q.role: q for q in survey.questions.all()}


@pytest.fixture
def survey():
    survey = SurveyFactory()
    survey.questions_list = add_questions(survey)
    return survey


def test_named_answer_then_the_second_edits_the_first(survey):
    member = add_member(survey.community).user
    qs = survey.questions_list
    services.answer_survey(member, survey, answers(qs))
    services.answer_survey(member, survey, answers(qs, scale=2, multiple=("2",), text=""))
    response = Response.objects.get(survey=survey)
    assert response.user == member
    assert sorted(response.values.values_list("question_id", "number", "choice", "text")) == sorted(
        [
            (qs[0].pk, 2, "", ""),
            (qs[1].pk, None, "1", ""),
            (qs[2].pk, None, "2", ""),
        ]
    )
    survey.refresh_from_db()
    assert survey.response_count == 1 and Participation.objects.count() == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ({0: 6}, "from 1 to 5"),
        ({0: "x"}, "from 1 to 5"),
        ({1: "9"}, "not one of"),
        ({2: ["1", "7"]}, "not one of"),
        ({1: ["1", "2"]}, "only one"),
        ({0: None}, "needs an answer"),
    ],
)
def test_bad_answers_change_nothing(survey, bad, message):
    member = add_member(survey.community).user
    qs = survey.questions_list
    raw = answers(qs)
    for index, value in bad.items():
        raw[qs[index].pk] = value
    with pytest.raises(ValidationError) as error:
        services.answer_survey(member, survey, raw)
    assert message in str(error.value)
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_answers_refused_after_closing_and_from_outsiders(survey):
    qs = survey.questions_list
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.answer_survey(outsider, survey, answers(qs))
    pending = add_member(survey.community, status="pending").user
    with pytest.raises(PermissionDenied):
        services.answer_survey(pending, survey, answers(qs))
    member = add_member(survey.community).user
    services.close_survey(survey.community.lead, survey)
    with pytest.raises(ValidationError, match="closed"):
        services.answer_survey(member, survey, answers(qs))
    assert not Response.objects.exists()


def test_anonymous_answers_cannot_be_tied_to_a_person(survey):
    survey.anonymous = True
    survey.save()
    qs = survey.questions_list
    people = [add_member(survey.community).user for _ in range(4)]
    for n, person in enumerate(people):
        services.answer_survey(person, survey, answers(qs, scale=n + 1, text=f"besoin {n}"))
    # Who answered is known (reminders, response rate)…
    assert set(Participation.objects.values_list("user_id", flat=True)) == {p.pk for p in people}
    # …but no answer row carries a person, a date or an order to match them with.
    assert not Response.objects.filter(user__isnull=False).exists()
    for model in (Response, AnswerValue, Participation):
        names = {f.name for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        assert not {n for n in names if n.endswith(("_at", "_on", "date", "created", "updated"))}
    assert {type(pk) for pk in Response.objects.values_list("pk", flat=True)} == {
        __import__("uuid").UUID
    }
    assert {type(pk) for pk in AnswerValue.objects.values_list("pk", flat=True)} == {
        __import__("uuid").UUID
    }
    # The audit trail names the survey, never a response.
    assert not AuditEvent.objects.filter(
        target_id__in=[str(r.pk) for r in Response.objects.all()]
    ).exists()
    # A second answer would need the link: refused, nothing changes.
    with pytest.raises(ValidationError, match="anonymous"):
        services.answer_survey(people[0], survey, answers(qs, scale=5))
    assert Response.objects.count() == 4


def test_create_and_edit_until_the_first_answer(django_capture_on_commit_callbacks):
    community = CommunityFactory()
    lead = community.lead
    today = timezone.localdate()
    questions = [Question(kind="scale", text="Utile ?")]
    with pytest.raises(ValidationError) as error:
        services.create_survey(
            lead, community, questions=questions, title="Essai", opens_on=today, closes_on=today
        )
    assert "close after" in str(error.value)
    with pytest.raises(ValidationError):
        services.create_survey(
            lead,
            community,
            questions=[Question(kind="single", text="Jour ?", choices=[["1", "Lundi"]])],
            title="Essai",
            opens_on=today,
            closes_on=today + datetime.timedelta(days=3),
        )
    assert not Survey.objects.exists()
    with pytest.raises(PermissionDenied):
        services.create_survey(
            add_member(community).user,
            community,
            questions=questions,
            title="Essai",
            opens_on=today,
            closes_on=today + datetime.timedelta(days=3),
        )
    survey = services.create_survey(
        lead,
        community,
        questions=questions,
        title="Essai",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=3),
    )
    assert survey.status == Status.DRAFT
    member = add_member(community).user
    with django_capture_on_commit_callbacks(execute=True):
        services.open_survey(lead, survey)
    assert survey.status == Status.OPEN and survey.invited_count == 3
    assert Notification.objects.filter(kind="surveys.opened", recipient=member).exists()
    services.answer_survey(member, survey, {survey.questions.get().pk: 3})
    survey.refresh_from_db()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.update_survey(
            lead, survey, questions=[Question(kind="text", text="Autre")], title="Essai 2"
        )
    with pytest.raises(PermissionDenied):
        services.delete_survey(lead, survey)
    assert survey.questions.get().text == "Utile ?"


def activate(community):
    community_services.transition(community.lead, community, "activate")


@pytest.mark.django_db(transaction=True)
def test_expectations_survey_opens_by_the_job_every_four_months_reminds_and_closes():
    start = datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        community = CommunityFactory(state=State.OPEN)
        member = add_member(community, role=Role.OUTER).user
        activate(community)
        scheduled = Survey.objects.get(community=community, kind=SurveyKind.EXPECTATIONS)
        assert scheduled.status == Status.SCHEDULED and scheduled.opens_on == datetime.date(
            2026, 1, 10
        )
        assert services.run_calendar()["opened"] == 1
        scheduled.refresh_from_db()
        assert scheduled.status == Status.OPEN and scheduled.closes_on == datetime.date(2026, 1, 31)
        assert Notification.objects.filter(kind="surveys.opened", recipient=member).exists()
        following = Survey.objects.get(community=community, status=Status.SCHEDULED)
        assert following.due_on == datetime.date(2026, 5, 10)
        assert (
            SurveyFollowUp.objects.get(community=community).expectations_state
            == ExpectationsState.DUE
        )
        roles = by_role(scheduled)
        assert list(roles) == [r.value for r in QRole]
    with time_machine.travel(start + datetime.timedelta(days=7, hours=1), tick=False):
        assert services.run_calendar()["reminded"] == 1
        assert services.run_calendar()["reminded"] == 0  # once only
        assert Notification.objects.filter(kind="surveys.reminder", recipient=member).count() == 1
        for person in (member, community.lead, add_member(community).user):
            services.answer_survey(
                person,
                scheduled,
                {
                    roles["satisfaction"].pk: 4,
                    roles["objective"].pk: "solutions",
                    roles["involvement"].pk: "active",
                    roles["needs"].pk: "Un atelier sur les forages",
                    roles["change"].pk: "Des réunions plus courtes",
                },
            )
    with time_machine.travel(start + datetime.timedelta(days=22), tick=False):
        assert services.run_calendar()["closed"] == 1
        scheduled.refresh_from_db()
        assert scheduled.status == Status.CLOSED
        assert Need.objects.filter(survey=scheduled).count() == 6
        assert (
            Notification.objects.filter(kind="surveys.needs", recipient=community.lead).count() == 1
        )
        follow_up = SurveyFollowUp.objects.get(community=community)
        assert follow_up.last_satisfaction_mean == 4
        assert follow_up.last_response_rate == 1.0  # a member who joined later answered too
    with time_machine.travel(datetime.datetime(2026, 5, 10, 9, tzinfo=datetime.UTC), tick=False):
        assert services.run_calendar()["opened"] == 1
        assert Survey.objects.filter(community=community, kind="expectations").count() == 3


def test_lead_moves_the_date_within_the_window_or_skips_with_a_reason(
    django_capture_on_commit_callbacks,
):
    community = CommunityFactory()
    due = timezone.localdate() + datetime.timedelta(days=10)
    survey = services.schedule_expectations_survey(community, due)
    lead = community.lead
    with pytest.raises(ValidationError, match="between"):
        services.update_survey(
            lead, survey, questions=[], opens_on=due + datetime.timedelta(days=45)
        )
    services.update_survey(
        lead,
        survey,
        questions=[Question(kind="text", text="Une idée de sortie ?")],
        opens_on=due + datetime.timedelta(days=20),
    )
    survey.refresh_from_db()
    assert survey.closes_on == due + datetime.timedelta(days=41)
    assert survey.questions.count() == TemplateQuestion.objects.count() + 1
    with pytest.raises(ValidationError):
        services.skip_survey(lead, survey, reason="  ")
    coordinator = CoordinatorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.skip_survey(lead, survey, reason="Pause pendant la saison des pluies")
    assert Notification.objects.filter(kind="surveys.skipped", recipient=coordinator).exists()
    follow_up = SurveyFollowUp.objects.get(community=community)
    assert follow_up.expectations_state == ExpectationsState.SKIPPED
    assert follow_up.skip_reason == "Pause pendant la saison des pluies"
    assert Survey.objects.get(
        community=community, status=Status.SCHEDULED
    ).due_on == services.add_months(due, 4)


def test_template_changes_reach_only_new_surveys():
    community = CommunityFactory()
    old = services.schedule_expectations_survey(community, timezone.localdate())
    satisfaction = TemplateQuestion.objects.get(role="satisfaction")
    services.save_template(
        CoordinatorFactory(),
        wordings={
            satisfaction.pk: {
                "text": "Vos attentes sont-elles comblées ?",
                "help_text": "",
                "required": True,
            }
        },
        questions=[TemplateQuestion(kind="text", text="Un mot pour les coordinateurs ?")],
    )
    Survey.objects.filter(pk=old.pk).update(status=Status.CLOSED)
    new = services.schedule_expectations_survey(
        community, timezone.localdate() + datetime.timedelta(days=120)
    )
    assert by_role(old)["satisfaction"].text == ""
    assert by_role(new)["satisfaction"].text == "Vos attentes sont-elles comblées ?"
    assert new.questions.count() == old.questions.count() + 1


def test_needs_reach_the_lead_who_acts_on_them():
    community = CommunityFactory()
    survey = SurveyFactory(
        community=community,
        kind=SurveyKind.EXPECTATIONS,
        title="",
        due_on=timezone.localdate(),
        anonymous=True,
    )
    for question in TemplateQuestion.objects.all():
        Question.objects.create(survey=survey, **question.copy_fields())
    roles = by_role(survey)
    people = [add_member(community).user for _ in range(3)]
    for n, person in enumerate(people):
        services.answer_survey(
            person,
            survey,
            {
                roles["satisfaction"].pk: 3,
                roles["objective"].pk: "exchange",
                roles["involvement"].pk: "occasional",
                roles["needs"].pk: f"Besoin {n}",
            },
        )
    services.close_survey(community.lead, survey)
    needs = list(Need.objects.filter(community=community))
    assert sorted(n.text for n in needs) == ["Besoin 0", "Besoin 1", "Besoin 2"]
    lead = community.lead
    services.decide_need(lead, needs[0], status=NeedStatus.NEXT_STEPS)
    community.refresh_from_db()
    assert needs[0].text in community.next_steps
    need = services.decide_need(
        lead,
        needs[1],
        status=NeedStatus.MILESTONE,
        milestone_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert need.milestone.title == needs[1].text
    with pytest.raises(ValidationError):
        services.decide_need(lead, needs[2], status=NeedStatus.SET_ASIDE, note="")
    services.decide_need(lead, needs[2], status=NeedStatus.SET_ASIDE, note="Hors de notre champ")
    with pytest.raises(PermissionDenied):
        services.decide_need(people[0], needs[2], status=NeedStatus.SET_ASIDE, note="non")


def test_updating_the_involvement_goes_through_the_membership_service():
    community = CommunityFactory()
    membership = add_member(community, role=Role.OUTER)
    membership.involvement = Involvement.OBSERVER
    membership.save()
    services.update_involvement(membership.user, community, "active")
    membership.refresh_from_db()
    assert membership.involvement == "active" and membership.role == Role.INNER
    with pytest.raises(ValidationError):
        services.update_involvement(membership.user, community, "boss")


def test_follow_up_signals_of_200_communities_in_one_query():
    communities = CommunityFactory.create_batch(3)
    for community in communities:
        services.schedule_expectations_survey(community, timezone.localdate())
        services.refresh_follow_up(community)
    SurveyFollowUp.objects.bulk_create(
        SurveyFollowUp(community=c) for c in CommunityFactory.create_batch(197, with_framing=False)
    )
    with CaptureQueriesContext(connection) as queries:
        signals = SurveyFollowUp.objects.for_communities(Community.objects.all())
        states = {pk: f.expectations_state for pk, f in signals.items()}
    assert len(queries) == 1 and len(states) == 200
    assert states[communities[0].pk] == ExpectationsState.DUE
