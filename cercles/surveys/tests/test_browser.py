"""The expectations survey in a real browser, in French and in English, on a frozen clock: the
community is activated, the periodic job opens the survey, members answer on a 360 px phone (one
updates their involvement), the job closes it, the lead reads the results with their charts and
the trend, and turns a new need into a milestone. Screenshots in test-artifacts/."""

import datetime

import pytest
import time_machine

from cercles.accounts.tests.factories import PASSWORD, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import Involvement, Milestone, Role
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.core.tests.browser import (
    assert_no_horizontal_scroll,
    log_in,
    navigates,
    screenshot,
    visit,
)
from cercles.surveys import services, tasks
from cercles.surveys.models import Need, NeedStatus, Participation, Response, Status, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def as_person(page, person):
    page.context.clear_cookies()
    log_in(page, person.email, PASSWORD)


def shot(page, language, number, name):
    return screenshot(page, f"surveys-{language}-{number:02d}-{name}")


def roles_of(survey):
    return {q.role: q for q in survey.questions.all()}


def answer_quietly(survey, person, satisfaction, need):
    roles = roles_of(survey)
    services.answer_survey(person, survey, {
        roles["satisfaction"].pk: satisfaction, roles["objective"].pk: "exchange",
        roles["involvement"].pk: "occasional", roles["needs"].pk: need,
    })  # fmt: skip


@pytest.mark.parametrize("language", ["fr", "en"])
def test_expectations_survey_from_activation_to_a_need_acted_on(page, language):
    with time_machine.travel(START - datetime.timedelta(days=125), tick=False):
        lead = UserFactory(language=language)
        community = CommunityFactory(state=State.ACTIVE, lead=lead, title="Eau au Sahel")
        others = [add_member(community, user=UserFactory(language=language)).user for _ in range(3)]
        # An earlier expectations survey, so that the trend has two points.
        earlier = services.schedule_expectations_survey(
            community, START.date() - datetime.timedelta(days=125)
        )
        tasks.run_survey_calendar.call_local()
        for n, person in enumerate(others):
            answer_quietly(earlier, person, 2 + n % 2, "")
    with time_machine.travel(START - datetime.timedelta(days=100), tick=False):
        tasks.run_survey_calendar.call_local()
        Survey.objects.filter(community=community, status=Status.SCHEDULED).delete()
        community.state = State.OPEN  # paused, then kicked off again below
        community.save()
    member = add_member(community, role=Role.OUTER, user=UserFactory(language=language))
    member.involvement = Involvement.OBSERVER
    member.save()

    with time_machine.travel(START, tick=True):
        # The lead activates the community from its settings.
        as_person(page, lead)
        visit(page, f"/communities/{community.slug}/settings/")
        with navigates(page):
            page.locator("form[action$='/state/activate'] button").click()
        community.refresh_from_db()
        assert community.state == State.ACTIVE
        survey = Survey.objects.get(community=community, status=Status.SCHEDULED)
        # The hourly job opens it.
        tasks.run_survey_calendar.call_local()
        survey.refresh_from_db()
        assert survey.status == Status.OPEN

        # A member answers on a phone.
        as_person(page, member.user)
        page.set_viewport_size(PHONE)
        visit(page, "/")
        with navigates(page):
            page.locator(f"a[href='{survey.get_absolute_url()}']").first.click()
        assert_no_horizontal_scroll(page)
        roles = roles_of(survey)
        # Bad input first: the required questions left empty.
        page.locator(f"[name=q{roles['needs'].pk}]").fill(
            "Un atelier sur le financement des réparations"
        )
        with navigates(page):
            page.locator("form.survey-answer [type=submit]").click()
        assert page.locator(".field-errors").count() >= 3
        assert page.locator(f"[name=q{roles['needs'].pk}]").input_value().startswith("Un atelier")
        assert not Participation.objects.filter(survey=survey).exists()
        page.locator(f"input[name=q{roles['satisfaction'].pk}][value='4']").check()
        page.locator(f"input[name=q{roles['objective'].pk}][value='solutions']").check()
        page.locator(f"input[name=q{roles['involvement'].pk}][value='active']").check()
        shot(page, language, 1, "answer-phone")
        with navigates(page):
            page.locator("form.survey-answer [type=submit]").click()
        assert Participation.objects.filter(survey=survey, user=member.user).exists()
        assert not Response.objects.filter(survey=survey, user__isnull=False).exists()
        # Offered, never silent: the declared involvement changes only when asked.
        member.refresh_from_db()
        assert member.involvement == Involvement.OBSERVER
        assert_no_horizontal_scroll(page)
        shot(page, language, 2, "involvement-offer-phone")
        with navigates(page):
            page.locator("#involvement button[type=submit]").click()
        member.refresh_from_db()
        assert member.involvement == Involvement.ACTIVE and member.role == Role.INNER
        for n, person in enumerate(others):
            answer_quietly(survey, person, 3 + n % 2, f"Besoin numéro {n}")

    with time_machine.travel(START + datetime.timedelta(days=22), tick=True):
        tasks.run_survey_calendar.call_local()
        survey.refresh_from_db()
        assert survey.status == Status.CLOSED and survey.response_count == 4
        # The lead reads the results, then acts on a need from the community's home.
        as_person(page, lead)
        page.set_viewport_size(DESKTOP)
        visit(page, f"{survey.get_absolute_url()}results/")
        assert page.locator("svg.chart").count() == 4  # 3 questions with choices + the trend
        assert page.locator("#trend-title").count() == 1
        shot(page, language, 3, "results")
        page.set_viewport_size(PHONE)
        assert_no_horizontal_scroll(page)
        shot(page, language, 4, "results-phone")
        page.set_viewport_size(DESKTOP)
        visit(page, community.get_absolute_url())
        need = Need.objects.get(text__startswith="Un atelier")
        item = page.locator(f"form[action$='/needs/{need.pk}/']")
        page.locator(
            f"form[action$='/needs/{need.pk}/'] >> xpath=ancestor::details/summary"
        ).click()
        item.locator("input[value=milestone]").check()
        item.locator("input[type=date]").fill(
            (START.date() + datetime.timedelta(days=60)).isoformat()
        )
        shot(page, language, 5, "need")
        with navigates(page):
            item.locator("button[type=submit]").click()
        need.refresh_from_db()
        assert need.status == NeedStatus.MILESTONE
        assert Milestone.objects.filter(
            community=community, title__startswith="Un atelier"
        ).exists()
        visit(page, f"/communities/{community.slug}/surveys/trend/")
        shot(page, language, 6, "trend")


def test_non_members_get_404_on_survey_pages(page):
    community = CommunityFactory(state=State.ACTIVE)
    survey = services.schedule_expectations_survey(community, START.date())
    outsider = UserFactory()
    as_person(page, outsider)
    for path in (
        f"/communities/{community.slug}/surveys/",
        survey.get_absolute_url(),
        f"{survey.get_absolute_url()}results/",
        f"/communities/{community.slug}/surveys/trend/",
    ):
        visit(page, path, status=404)
