import datetime

import factory
from django.utils import timezone

from cercles.communities.tests.factories import CommunityFactory
from cercles.surveys.models import Question, QuestionKind, Status, Survey, SurveyKind


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open custom survey, named, with no question (add them with add_questions)."""

    class Meta:
        model = Survey

    community = factory.SubFactory(CommunityFactory)
    kind = SurveyKind.CUSTOM
    title = factory.Sequence(lambda n: f"Date de la rencontre {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    status = Status.OPEN
    opened_at = factory.LazyFunction(timezone.now)
    invited_count = 10


def add_questions(survey):
    """One question of each kind: scale, single, multiple, text (in that order)."""
    return [
        Question.objects.create(
            survey=survey, position=0, kind=QuestionKind.SCALE, text="Utile ?", required=True
        ),
        Question.objects.create(
            survey=survey,
            position=1,
            kind=QuestionKind.SINGLE,
            text="Quel jour ?",
            required=True,
            choices=[["1", "Lundi"], ["2", "Mardi"]],
        ),
        Question.objects.create(
            survey=survey,
            position=2,
            kind=QuestionKind.MULTIPLE,
            text="Quels sujets ?",
            choices=[["1", "Eau"], ["2", "Santé"], ["3", "Climat"]],
        ),
        Question.objects.create(
            survey=survey, position=3, kind=QuestionKind.TEXT, text="Autre chose ?"
        ),
    ]
