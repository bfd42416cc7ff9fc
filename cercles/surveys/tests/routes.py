"""Routes of the surveys app for cercles/core/tests/test_routes.py: outside the community (even
when its content is readable by the network), every survey address answers 404."""

from cercles.core.tests.test_routes import statuses

EXPECTED = {
    "surveys:list": statuses(302, 404, 200),
    "surveys:create": statuses(302, 404, 403),
    "surveys:trend": statuses(302, 404, 200),
    "surveys:need": statuses(302, 405, 405),
    "surveys:detail": statuses(302, 404, 200),
    "surveys:edit": statuses(302, 404, 403),
    "surveys:answer": statuses(302, 405, 405),
    "surveys:involvement": statuses(302, 405, 405),
    "surveys:open": statuses(302, 405, 405),
    "surveys:close": statuses(302, 405, 405),
    "surveys:delete": statuses(302, 405, 405),
    "surveys:skip": statuses(302, 404, 403),
    "surveys:results": statuses(302, 404, 200),
    "surveys:question_answers": statuses(302, 404, 200),
    "surveys:export": statuses(302, 404, 200),
    "surveys:template": statuses(302, 403, 200),
}


def route_values(community, member):
    from cercles.surveys.models import Need, Question

    from .factories import SurveyFactory

    survey = SurveyFactory(community=community)
    question = Question.objects.create(survey=survey, kind="text", text="Autre chose ?")
    need = Need.objects.create(community=community, survey=survey, role="needs", text="Un atelier")
    return {"survey_id": survey.pk, "question_id": question.pk, "need_id": need.pk}
