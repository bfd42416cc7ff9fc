"""Demo surveys: every active community has a past expectations survey with realistic answers (two
for the oldest, so that the trend shows), the needs they raised waiting for the lead, and an open
one that some members have answered; one community asks its members to choose the date of an
in-person meeting.

Past surveys cannot be answered through the services once closed, so each is opened in the past,
answered through the services, then closed with its real dates.
"""

import datetime
import random

from django.utils import timezone

from cercles.accounts.models import User
from cercles.communities.lifecycle import State
from cercles.communities.models import Community

from . import services
from .models import Question, QuestionKind, Role, Status, Survey, SurveyKind

MEMBRE = "membre@demo.test"

WORKED = [
    "Les échanges de pratiques entre comités, très concrets.",
    "La visite de terrain : voir les installations des autres aide beaucoup.",
    "Les comptes rendus envoyés rapidement après chaque rencontre.",
    "Le partage des documents dans la bibliothèque.",
    "",
]
CHANGE = [
    "Des réunions plus courtes, avec un ordre du jour envoyé à l'avance.",
    "Alterner les horaires pour que les collègues d'Amérique puissent venir.",
    "",
    "Plus de temps pour les questions des nouveaux membres.",
    "",
]
NEEDS = [
    "Un atelier sur le financement des petites réparations.",
    "Un modèle de règlement intérieur pour les comités de gestion.",
    "Être mis en relation avec une collectivité qui a déjà fait le transfert de compétence.",
    "",
    "Une formation courte à l'animation de réunions en ligne.",
    "",
    "",
]
TOPICS = [
    "La qualité de l'eau et les analyses à bas coût.",
    "L'implication des jeunes dans les comités.",
    "Le suivi des indicateurs avec les communes.",
    "",
]


def seed(stdout):
    if Survey.objects.exists():
        stdout.write("  surveys: already there")
        return
    rng = random.Random(12)
    today = timezone.localdate()
    active = list(Community.objects.filter(state=State.ACTIVE).order_by("created_at", "pk"))
    membre = User.objects.filter(email=MEMBRE).first()
    for index, community in enumerate(active):
        members = list(
            User.objects.filter(
                memberships__community=community, memberships__status="active"
            ).order_by("pk")
        )
        # Left to be scheduled by the demo itself (not by the activation that ran before).
        Survey.objects.filter(community=community, status=Status.SCHEDULED).delete()
        past = [today - datetime.timedelta(days=123)]
        if index == 0:
            past.insert(0, today - datetime.timedelta(days=245))
        for n, opens_on in enumerate(past):
            survey = _expectations(community, opens_on, status=Status.OPEN)
            satisfaction = 3 + n  # the second one went better
            for person in members:
                if rng.random() < 0.2:
                    continue  # did not answer
                _answer(survey, person, rng, satisfaction)
            survey.closes_on = opens_on + datetime.timedelta(days=21)
            services._close(survey)
            closed_at = timezone.now() - (today - survey.closes_on)
            Survey.objects.filter(pk=survey.pk).update(closed_at=closed_at)
        current = _expectations(
            community, today - datetime.timedelta(days=3), status=Status.SCHEDULED
        )
        services._open(current)
        for person in members[: max(1, len(members) // 3)]:
            if person != membre:
                _answer(current, person, rng, 4)
    if active:
        _custom_survey(active[0], rng)
    stdout.write(f"  surveys: {Survey.objects.count()}")


def _expectations(community, opens_on, *, status):
    survey = Survey.objects.create(
        community=community,
        kind=SurveyKind.EXPECTATIONS,
        opens_on=opens_on,
        closes_on=max(
            opens_on + datetime.timedelta(days=21),
            timezone.localdate() + datetime.timedelta(days=1),
        ),
        due_on=opens_on,
        anonymous=True,
        status=status,
        opened_at=timezone.now() - (timezone.localdate() - opens_on)
        if status == Status.OPEN
        else None,
    )
    Question.objects.bulk_create(
        Question(survey=survey, from_template=True, **question.copy_fields())
        for question in services.template_questions()
    )
    survey.invited_count = survey.community.member_count
    survey.save(update_fields=["invited_count"])
    return survey


def _answer(survey, person, rng, satisfaction):
    answers = {}
    for question in survey.questions.all():
        if question.role == Role.SATISFACTION:
            answers[question.pk] = max(1, min(5, satisfaction + rng.choice([-1, 0, 0, 1])))
        elif question.role == Role.OBJECTIVE:
            answers[question.pk] = rng.choice(["exchange", "exchange", "solutions", "testing"])
        elif question.role == Role.INVOLVEMENT:
            answers[question.pk] = rng.choice(["active", "occasional", "occasional", "observer"])
        elif question.role == Role.WORKED:
            answers[question.pk] = rng.choice(WORKED)
        elif question.role == Role.CHANGE:
            answers[question.pk] = rng.choice(CHANGE)
        elif question.role == Role.NEEDS:
            answers[question.pk] = rng.choice(NEEDS)
        elif question.role == Role.TOPICS:
            answers[question.pk] = rng.choice(TOPICS)
    services.answer_survey(person, survey, answers)


def _custom_survey(community, rng):
    today = timezone.localdate()
    lead = community.lead
    survey = services.create_survey(
        lead,
        community,
        title="Quelle date pour notre rencontre en présentiel ?",
        introduction=(
            "Nous organisons une journée d'échanges sur place, avec visite de forages réhabilités. "
            "Dites-nous quelles dates vous conviennent et ce que vous voulez y voir."
        ),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        anonymous=False,
        results_audience="members",
        questions=[
            Question(
                kind=QuestionKind.MULTIPLE,
                text="Quelles dates vous conviennent ?",
                required=True,
                choices=[["1", "Samedi 6"], ["2", "Samedi 13"], ["3", "Samedi 20"]],
            ),
            Question(
                kind=QuestionKind.SINGLE,
                text="Comment viendrez-vous ?",
                choices=[
                    ["1", "Transport en commun"],
                    ["2", "Covoiturage"],
                    ["3", "Je ne sais pas encore"],
                ],
            ),
            Question(
                kind=QuestionKind.SCALE,
                text="Une visite de terrain vous intéresse-t-elle ?",
                scale_low_label="pas du tout",
                scale_high_label="beaucoup",
            ),
            Question(kind=QuestionKind.TEXT, text="Ce que vous aimeriez voir ou faire ce jour-là"),
        ],
    )
    services.open_survey(lead, survey)
    questions = list(survey.questions.all())
    members = community.memberships.active().exclude(user=lead).select_related("user")[:6]
    for membership in members:
        if membership.user.email == MEMBRE:
            continue
        services.answer_survey(
            membership.user,
            survey,
            {
                questions[0].pk: rng.sample(["1", "2", "3"], rng.randint(1, 2)),
                questions[1].pk: rng.choice(["1", "2", "3"]),
                questions[2].pk: rng.randint(3, 5),
                questions[3].pk: rng.choice(
                    ["La station de pompage solaire.", "", "Rencontrer le comité de Tillabéri."]
                ),
            },
        )
