import csv
import datetime
import io
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import UserFactory
from cercles.communities.models import Involvement, MembershipStatus, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.surveys import services
from cercles.surveys.models import (
    AnswerValue,
    Need,
    NeedStatus,
    Participation,
    Question,
    Response,
    ResultsAudience,
    Status,
    Survey,
    SurveyKind,
    TemplateQuestion,
)

from .factories import SurveyFactory, add_questions

pytestmark = pytest.mark.django_db


def url(name, survey, **extra):
    return reverse(f"surveys:{name}", args=[survey.community.slug, survey.pk, *extra.values()])


def fill(survey, count, seed=1):
    """`count` answers to every question of the survey, inserted in bulk."""
    rng = random.Random(seed)
    questions = list(survey.questions.all())
    responses = Response.objects.bulk_create(Response(survey=survey) for _ in range(count))
    values = []
    for response in responses:
        for q in questions:
            if q.kind == "scale":
                values.append(AnswerValue(response=response, question=q, number=rng.randint(1, 5)))
            elif q.kind == "single":
                values.append(
                    AnswerValue(response=response, question=q, choice=rng.choice(q.choices)[0])
                )
            elif q.kind == "multiple":
                for value, _label in rng.sample(q.choices, 2):
                    values.append(AnswerValue(response=response, question=q, choice=value))
            else:
                values.append(
                    AnswerValue(response=response, question=q, text=f"Réponse {rng.random()}")
                )
    AnswerValue.objects.bulk_create(values, batch_size=2000)
    Survey.objects.filter(pk=survey.pk).update(response_count=count, invited_count=count + 20)
    survey.refresh_from_db()


def ten_questions(survey):
    kinds = [
        "scale",
        "scale",
        "single",
        "single",
        "single",
        "multiple",
        "multiple",
        "text",
        "text",
        "text",
    ]
    choices = [["1", "Oui"], ["2", "Non"], ["3", "Peut-être"]]
    Question.objects.bulk_create(
        Question(
            survey=survey,
            position=i,
            kind=k,
            text=f"Question {i}",
            choices=choices if k in ("single", "multiple") else [],
        )
        for i, k in enumerate(kinds)
    )


def expectations(community, opens_on, *, status=Status.CLOSED):
    survey = SurveyFactory(
        community=community,
        kind=SurveyKind.EXPECTATIONS,
        title="",
        anonymous=True,
        status=status,
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=21),
        due_on=opens_on,
    )
    Question.objects.bulk_create(
        Question(survey=survey, from_template=True, **q.copy_fields())
        for q in TemplateQuestion.objects.all()
    )
    return survey


# --- who may open what -----------------------------------------------------------------------


def test_outsiders_pending_and_former_members_get_404_everywhere(client):
    survey = SurveyFactory()
    add_questions(survey)
    question = survey.questions.get(kind="text")
    need = Need.objects.create(community=survey.community, survey=survey, role="needs", text="x")
    slug = survey.community.slug
    addresses = (
        [
            ("get", reverse("surveys:list", args=[slug])),
            ("get", reverse("surveys:create", args=[slug])),
            ("get", reverse("surveys:trend", args=[slug])),
            ("post", reverse("surveys:need", args=[slug, need.pk])),
        ]
        + [("get", url(n, survey)) for n in ("detail", "edit", "skip", "results", "export")]
        + [
            ("post", url(n, survey))
            for n in ("answer", "involvement", "open", "close", "delete", "skip")
        ]
        + [("get", url("question_answers", survey, q=question.pk))]
    )
    outsider = UserFactory()
    pending = add_member(survey.community, status=MembershipStatus.PENDING).user
    former = add_member(survey.community, status=MembershipStatus.LEFT).user
    for person in (outsider, pending, former):
        client.force_login(person)
        for method, address in addresses:
            assert getattr(client, method)(address).status_code == 404, (person, address)
    assert Participation.objects.count() == 0 and Need.objects.get().status == NeedStatus.NEW


def test_members_answer_leads_manage_coordinators_follow(client, coordinator):
    survey = SurveyFactory(results_audience=ResultsAudience.LEADERS)
    add_questions(survey)
    member = add_member(survey.community).user
    client.force_login(member)
    page = client.get(url("detail", survey))
    # Question fields are named q<id> (the header's search box is named q).
    assert page.status_code == 200 and re.search(rb'name="q\d', page.content)
    assert client.get(url("edit", survey)).status_code == 403
    assert client.get(url("results", survey)).status_code == 403
    assert client.get(url("export", survey)).status_code == 403
    client.force_login(survey.community.lead)
    assert client.get(url("edit", survey)).status_code == 200
    assert client.get(url("results", survey)).status_code == 200
    client.force_login(coordinator)
    page = client.get(url("detail", survey))
    assert page.status_code == 200 and not re.search(rb'name="q\d', page.content)  # follows
    assert client.get(url("results", survey)).status_code == 200
    # A draft is the lead's business.
    draft = SurveyFactory(community=survey.community, status=Status.DRAFT, opened_at=None)
    client.force_login(member)
    assert client.get(url("detail", draft)).status_code == 404


# --- answering -------------------------------------------------------------------------------


def test_answering_with_bad_input_keeps_it_and_says_why(client):
    survey = SurveyFactory()
    q = add_questions(survey)
    member = add_member(survey.community).user
    client.force_login(member)
    page = client.post(
        url("answer", survey), {f"q{q[0].pk}": "9", f"q{q[1].pk}": "", f"q{q[3].pk}": "Mon idée"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mon idée" in text and "field-errors" in text
    assert "Cette question attend une réponse." in text
    assert not Participation.objects.exists()
    page = client.post(
        url("answer", survey), {f"q{q[0].pk}": "4", f"q{q[1].pk}": "2", f"q{q[2].pk}": ["1", "3"]}
    )
    assert page.status_code == 302
    page = client.get(url("detail", survey))
    assert (
        'value="4" checked' in page.content.decode().replace('checked=""', "checked")
        or "checked" in page.content.decode()
    )
    client.post(url("answer", survey), {f"q{q[0].pk}": "2", f"q{q[1].pk}": "1"})
    assert Response.objects.get().values.get(question=q[0]).number == 2


def test_answering_a_closed_survey_changes_nothing(client):
    survey = SurveyFactory(status=Status.CLOSED)
    q = add_questions(survey)
    client.force_login(add_member(survey.community).user)
    page = client.post(url("answer", survey), {f"q{q[0].pk}": "4", f"q{q[1].pk}": "2"}, follow=True)
    assert "fermé" in page.content.decode()
    assert not Participation.objects.exists()


def test_answering_the_involvement_offers_to_update_it_never_silently(client):
    community = CommunityFactory()
    survey = expectations(community, timezone.localdate(), status=Status.OPEN)
    membership = add_member(community, role=Role.OUTER)
    membership.involvement = Involvement.OBSERVER
    membership.save()
    roles = {q.role: q for q in survey.questions.all()}
    client.force_login(membership.user)
    page = client.post(
        url("answer", survey),
        {
            f"q{roles['satisfaction'].pk}": "4",
            f"q{roles['objective'].pk}": "solutions",
            f"q{roles['involvement'].pk}": "active",
        },
    )
    assert page.status_code == 302 and page["Location"].endswith("?involvement=active#involvement")
    membership.refresh_from_db()
    assert membership.involvement == Involvement.OBSERVER  # not silently
    offer = client.get(page["Location"])
    assert "involvement-heading" in offer.content.decode()
    client.post(url("involvement", survey), {"involvement": "active"})
    membership.refresh_from_db()
    assert membership.involvement == Involvement.ACTIVE and membership.role == Role.INNER


def test_lead_creates_a_survey_with_errors_kept_next_to_the_fields(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    today = timezone.localdate()
    data = {
        "title": "Date de la rencontre",
        "opens_on": today.isoformat(),
        "closes_on": today.isoformat(),
        "results_audience": "members",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Quel samedi ?",
        "questions-0-kind": "single",
        "questions-0-choices": "12 avril",
        "questions-1-kind": "scale",
    }
    page = client.post(reverse("surveys:create", args=[community.slug]), data)
    text = page.content.decode()
    assert page.status_code == 200 and "Date de la rencontre" in text
    assert "fermer après" in text and "au moins deux choix" in text
    assert not Survey.objects.exists()
    data["closes_on"] = (today + datetime.timedelta(days=10)).isoformat()
    data["questions-0-choices"] = "12 avril\n19 avril"
    page = client.post(reverse("surveys:create", args=[community.slug]), data)
    survey = Survey.objects.get()
    assert page.status_code == 302 and survey.status == Status.DRAFT
    assert survey.questions.get().labelled_choices() == [("1", "12 avril"), ("2", "19 avril")]
    client.post(url("open", survey))
    survey.refresh_from_db()
    assert survey.status == Status.OPEN


# --- results ---------------------------------------------------------------------------------


def test_anonymous_results_only_from_three_answers(client):
    survey = SurveyFactory(anonymous=True)
    add_questions(survey)
    fill(survey, 2)
    client.force_login(survey.community.lead)
    page = client.get(url("results", survey))
    assert page.status_code == 200 and "à partir de 3 réponses" in page.content.decode()
    assert "<svg" not in page.content.decode()
    assert client.get(url("export", survey)).status_code == 403
    fill(survey, 1, seed=2)
    Survey.objects.filter(pk=survey.pk).update(response_count=3)
    page = client.get(url("results", survey))
    assert "<svg" in page.content.decode()


def test_results_page_stays_flat_with_the_answer_count(client, coordinator):
    small, large = SurveyFactory(), SurveyFactory()
    for survey, count in ((small, 40), (large, 400)):
        ten_questions(survey)
        fill(survey, count)
    client.force_login(coordinator)
    counts = []
    for survey in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url("results", survey))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12
    text = page.content.decode()
    assert text.count("<svg") == 7 and text.count("<table") == 7
    # The figures are the database's.
    question = large.questions.get(position=2)
    yes = AnswerValue.objects.filter(question=question, choice="1").count()
    assert f"<td>{yes}</td>" in text


def test_results_figures_scale_mean_and_shares(client):
    survey = SurveyFactory()
    q = add_questions(survey)
    people = [add_member(survey.community).user for _ in range(4)]
    for person, (scale, single) in zip(
        people, [(5, "1"), (4, "1"), (3, "2"), (4, "1")], strict=True
    ):
        services.answer_survey(person, survey, {q[0].pk: scale, q[1].pk: single, q[2].pk: ["1"]})
    client.force_login(survey.community.lead)
    text = client.get(url("results", survey)).content.decode()
    assert "moyenne 4,0 / 5" in text
    assert "<td>3</td><td>75\u00a0%</td>" in text  # Lundi: 3 of 4


def test_trend_over_six_surveys_in_bounded_queries(client):
    community = CommunityFactory()
    member = add_member(community).user
    start = timezone.localdate() - datetime.timedelta(days=6 * 120)
    for n in range(6):
        survey = expectations(community, start + datetime.timedelta(days=120 * n))
        fill(survey, 30 + 20 * n, seed=n)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("surveys:trend", args=[community.slug]))
    assert page.status_code == 200 and len(queries) <= 12, [q["sql"] for q in queries]
    text = page.content.decode()
    assert text.count("<svg") == 1 and "chart-line" in text
    latest = Survey.objects.filter(community=community).order_by("-opens_on").first()
    results = client.get(url("results", latest))
    assert "trend-title" in results.content.decode()


def test_csv_export_named_and_anonymous(client):
    survey = SurveyFactory()
    q = add_questions(survey)
    people = [add_member(survey.community).user for _ in range(3)]
    for person in people:
        services.answer_survey(
            person, survey, {q[0].pk: 4, q[1].pk: "2", q[2].pk: ["1", "3"], q[3].pk: "=SUM(A1)"}
        )
    client.force_login(survey.community.lead)
    rows = list(
        csv.reader(io.StringIO(client.get(url("export", survey)).content.decode("utf-8-sig")))
    )
    assert rows[0] == ["Personne", "Utile ?", "Quel jour ?", "Quels sujets ?", "Autre chose ?"]
    assert sorted(r[0] for r in rows[1:]) == sorted(p.name for p in people)
    assert rows[1][1:] == ["4", "Mardi", "Eau | Climat", "'=SUM(A1)"]
    Survey.objects.filter(pk=survey.pk).update(anonymous=True)
    Response.objects.update(user=None)
    rows = list(
        csv.reader(io.StringIO(client.get(url("export", survey)).content.decode("utf-8-sig")))
    )
    assert rows[0][0] == "Utile ?" and not any(p.name in ";".join(r) for r in rows for p in people)


# --- the community's home and the member's home -----------------------------------------------


def test_homes_show_waiting_surveys_and_the_leads_needs(client, django_assert_max_num_queries):
    survey = SurveyFactory()
    add_questions(survey)
    community = survey.community
    member = add_member(community).user
    Need.objects.create(
        community=community, survey=survey, role="needs", text="Un atelier sur les forages"
    )
    client.force_login(member)
    home = client.get("/").content.decode()
    assert survey.title in home
    text = client.get(community.get_absolute_url()).content.decode()
    assert survey.title in text and "Un atelier sur les forages" not in text
    client.force_login(community.lead)
    text = client.get(community.get_absolute_url()).content.decode()
    assert "Un atelier sur les forages" in text
    need = Need.objects.get()
    page = client.post(
        reverse("surveys:need", args=[community.slug, need.pk]),
        {
            f"need-{need.pk}-status": "set_aside",
            f"need-{need.pk}-note": "",
        },
        follow=True,
    )
    assert "pourquoi" in page.content.decode()
    client.post(
        reverse("surveys:need", args=[community.slug, need.pk]),
        {
            f"need-{need.pk}-status": "set_aside",
            f"need-{need.pk}-note": "Hors champ",
        },
    )
    assert Need.objects.get().status == NeedStatus.SET_ASIDE


def test_skip_page_asks_for_a_reason(client):
    community = CommunityFactory()
    survey = services.schedule_expectations_survey(
        community, timezone.localdate() + datetime.timedelta(days=5)
    )
    client.force_login(community.lead)
    page = client.post(url("skip", survey), {"reason": ""})
    assert page.status_code == 200 and "field-errors" in page.content.decode()
    page = client.post(url("skip", survey), {"reason": "Saison des pluies"})
    survey.refresh_from_db()
    assert page.status_code == 302 and survey.status == Status.SKIPPED


def test_template_page_for_coordinators(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("surveys:template"))
    assert page.status_code == 200
    fixed = list(TemplateQuestion.objects.order_by("position"))
    data = {
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Un mot pour le réseau ?",
        "questions-0-kind": "text",
    }
    for question in fixed:
        data[f"fixed-{question.pk}-text"] = (
            "Vos attentes ?" if question.role == "satisfaction" else ""
        )
        data[f"fixed-{question.pk}-required"] = "on" if question.required else ""
    assert client.post(reverse("surveys:template"), data).status_code == 302
    assert TemplateQuestion.objects.get(role="satisfaction").text == "Vos attentes ?"
    assert TemplateQuestion.objects.filter(role="").get().text == "Un mot pour le réseau ?"
