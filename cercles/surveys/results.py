"""Results of a survey and the trend of the expectations surveys, aggregated by the database:
a fixed number of queries whatever the number of answers."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils.formats import date_format

from cercles.communities.models import Involvement
from cercles.taxonomy.choices import ObjectiveType

from . import charts
from .models import OTHER_OBJECTIVE, AnswerValue, QuestionKind, Role, Status, Survey, choice_label

# Free-text answers shown per question on the results page; the rest on the question's page.
TEXTS_SHOWN = 10
TREND_SURVEYS = 12


@dataclass
class QuestionResult:
    question: object
    answered: int = 0
    rows: list = field(default_factory=list)  # (label, count, share)
    mean: float | None = None
    texts: list = field(default_factory=list)

    @property
    def chart(self):
        if not self.rows:
            return ""
        return charts.bar_chart(self.rows, labelled_by=f"question-{self.question.pk}-title")

    @property
    def more_texts(self):
        return max(0, self.answered - len(self.texts))


def survey_results(survey):
    """[QuestionResult] in the order of the questions, in four queries."""
    questions = list(survey.questions.all())
    values = AnswerValue.objects.filter(question__survey=survey)
    counts = {}
    for row in (
        values.exclude(question__kind=QuestionKind.TEXT)
        .values("question_id", "choice", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = str(row["number"]) if row["number"] is not None else row["choice"]
        counts.setdefault(row["question_id"], {})[key] = row["n"]
    answered = dict(
        values.values("question_id")
        .annotate(n=Count("response", distinct=True))
        .order_by()
        .values_list("question_id", "n")
    )
    texts = {}
    ranked = (
        values.filter(question__kind=QuestionKind.TEXT)
        .annotate(rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").asc()))
        .filter(rank__lte=TEXTS_SHOWN)
        .values_list("question_id", "text")
    )
    for question_id, text in ranked:
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        result = QuestionResult(question, answered=answered.get(question.pk, 0))
        if question.kind == QuestionKind.TEXT:
            result.texts = texts.get(question.pk, [])
        else:
            mine = counts.get(question.pk, {})
            base = result.answered or 1
            result.rows = [
                (label, mine.get(value, 0), mine.get(value, 0) / base)
                for value, label in question.labelled_choices()
            ]
            if question.kind == QuestionKind.SCALE and result.answered:
                total = sum(int(v) * n for v, n in mine.items())
                result.mean = total / sum(mine.values())
        results.append(result)
    return results


def text_answers(question):
    """Every free-text answer to a question, in the order of their random keys."""
    return (
        AnswerValue.objects.filter(question=question)
        .exclude(text="")
        .order_by("id")
        .values_list("text", flat=True)
    )


def objective_labels():
    return [
        (value, str(choice_label(Role.OBJECTIVE, value, "")))
        for value in [*ObjectiveType.values, OTHER_OBJECTIVE]
    ]


def involvement_labels():
    return [(value, str(label)) for value, label in Involvement.choices]


def trend_surveys(community, until=None):
    """The community's opened expectations surveys, oldest first (the last TREND_SURVEYS)."""
    surveys = (
        Survey.objects.filter(community=community)
        .expectations()
        .filter(status__in=[Status.OPEN, Status.CLOSED])
    )
    if until is not None:
        surveys = surveys.filter(opens_on__lte=until.opens_on)
    surveys = list(surveys.order_by("-opens_on", "-id")[:TREND_SURVEYS])[::-1]
    for survey in surveys:
        survey.community = community  # one community, and its cached memberships
    return surveys


def expectations_trend(surveys):
    """Per survey: satisfaction mean, shares of objectives and of involvement levels (anonymous
    surveys with too few answers count as empty). Two queries whatever the number of answers."""
    shown = [s for s in surveys if not s.hides_results]
    roles = [Role.SATISFACTION, Role.OBJECTIVE, Role.INVOLVEMENT]
    values = AnswerValue.objects.filter(question__survey__in=shown, question__role__in=roles)
    tallies = {}
    for row in (
        values.values("question__survey_id", "question__role", "choice", "number")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["question__survey_id"], row["question__role"])
        tallies.setdefault(key, []).append((row["choice"], row["number"], row["n"]))
    respondents = {
        (row["question__survey_id"], row["question__role"]): row["n"]
        for row in values.values("question__survey_id", "question__role")
        .annotate(n=Count("response", distinct=True))
        .order_by()
    }
    points = []
    for survey in surveys:
        point = {
            "survey": survey,
            "label": date_format(survey.opens_on, "M Y"),
            "satisfaction": None,
            "objectives": {},
            "involvement": {},
            "answers": survey.response_count,
            "rate": survey.response_rate,
        }
        scale = tallies.get((survey.pk, Role.SATISFACTION), [])
        if scale:
            point["satisfaction"] = sum(number * n for _c, number, n in scale) / sum(
                n for *_x, n in scale
            )
        for role, key in ((Role.OBJECTIVE, "objectives"), (Role.INVOLVEMENT, "involvement")):
            base = respondents.get((survey.pk, role))
            for choice, _number, n in tallies.get((survey.pk, role), []):
                point[key][choice] = n / base
        points.append(point)
    return points


def trend_chart(points, *, labelled_by):
    return charts.trend_chart(
        points, objective_labels(), involvement_labels(), labelled_by=labelled_by
    )
