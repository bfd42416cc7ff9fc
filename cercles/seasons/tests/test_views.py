import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cercles.accounts.tests.factories import CoordinatorFactory, UserFactory
from cercles.communities.lifecycle import State
from cercles.communities.models import FinalRecord, HealthReview, Role, Visibility
from cercles.communities.tests.factories import CommunityFactory, add_member
from cercles.library.models import Item
from cercles.library.tests.factories import make_note, make_production
from cercles.seasons import services
from cercles.seasons.models import Objective, Season

from .factories import ObjectiveFactory, SeasonFactory, ended_season, health_post

pytestmark = pytest.mark.django_db


def days(n):
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def people(community):
    """Everyone whose answer differs: the matrix of a permission test."""
    return {
        "anonymous": None,
        "outsider": UserFactory(),
        "outer": add_member(community, Role.OUTER).user,
        "inner": add_member(community, Role.INNER).user,
        "core": add_member(community, Role.CORE).user,
        "lead": community.lead,
        "coordinator": CoordinatorFactory(),
        "former": add_member(community, Role.INNER, status="left").user,
    }


def statuses(client, url, everyone, method="get", data=None):
    answers = {}
    for name, person in everyone.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        response = getattr(client, method)(url, data or {})
        answers[name] = response.status_code
    return answers


# --- permission matrices ----------------------------------------------------------------------


def test_who_sees_and_plans_the_seasons_of_a_private_community(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    everyone = people(community)
    seasons = reverse("seasons:list", args=[community.slug])
    assert statuses(client, seasons, everyone) == {
        "anonymous": 302, "outsider": 404, "outer": 200, "inner": 200, "core": 200, "lead": 200,
        "coordinator": 200, "former": 404,
    }  # fmt: skip
    new = reverse("seasons:new", args=[community.slug])
    assert statuses(client, new, everyone) == {
        "anonymous": 302, "outsider": 404, "outer": 403, "inner": 403, "core": 403, "lead": 200,
        "coordinator": 403, "former": 404,
    }  # fmt: skip


def test_who_reads_and_fills_the_health_reviews(client):
    community = CommunityFactory()
    everyone = people(community)
    review = HealthReview.objects.create(community=community, decision="continue", ratings={})
    expected_read = {
        "anonymous": 302, "outsider": 403, "outer": 403, "inner": 403, "core": 200, "lead": 200,
        "coordinator": 200, "former": 403,
    }  # fmt: skip
    for url in (
        reverse("seasons:health_list", args=[community.slug]),
        reverse("seasons:health_review", args=[community.slug, review.pk]),
    ):
        assert statuses(client, url, everyone) == expected_read, url
    assert statuses(client, reverse("seasons:health_new", args=[community.slug]), everyone) == {
        **expected_read,
        "coordinator": 403,
    }
    assert statuses(client, reverse("seasons:network_health"), everyone) == {
        **dict.fromkeys(everyone, 404),
        "anonymous": 302,
        "coordinator": 200,
    }


def test_a_health_review_of_another_community_answers_404(client):
    community, other = CommunityFactory(), CommunityFactory()
    review = HealthReview.objects.create(community=other, decision="continue", ratings={})
    client.force_login(community.lead)
    url = reverse("seasons:health_review", args=[community.slug, review.pk])
    assert client.get(url).status_code == 404


def test_who_sees_the_celebration(client):
    community = CommunityFactory(visibility=Visibility.PRIVATE)
    everyone = people(community)
    season = ended_season(community)
    url = reverse("seasons:celebration", args=[community.slug, season.pk])
    # Not published yet: nothing to see, for anybody.
    assert set(statuses(client, url, everyone).values()) <= {302, 404}
    season.review_published_at = timezone.now()
    season.save()
    assert statuses(client, url, everyone) == {
        "anonymous": 302, "outsider": 404, "outer": 200, "inner": 200, "core": 200, "lead": 200,
        "coordinator": 200, "former": 404,
    }  # fmt: skip


def test_who_may_open_the_closing_page_and_reopen(client):
    community = CommunityFactory()
    everyone = people(community)
    closing = reverse("seasons:closing", args=[community.slug])
    assert statuses(client, closing, everyone) == {
        "anonymous": 302, "outsider": 403, "outer": 403, "inner": 403, "core": 403, "lead": 200,
        "coordinator": 200, "former": 403,
    }  # fmt: skip
    reopen = reverse("seasons:reopen", args=[community.slug])
    assert set(statuses(client, reopen, everyone).values()) <= {302, 403}


# --- seasons: bad input -----------------------------------------------------------------------


def test_an_overlapping_season_is_refused_next_to_the_field_with_the_input_kept(client):
    community = CommunityFactory()
    SeasonFactory(community=community, name="Saison 1")
    client.force_login(community.lead)
    url = reverse("seasons:new", args=[community.slug])
    response = client.post(url, {"name": "Saison de trop", "starts_on": days(0),
                                 "ends_on": days(90)})  # fmt: skip
    assert response.status_code == 200
    assert "starts_on" in response.context["form"].errors
    assert "Saison de trop" in response.content.decode()
    assert community.seasons.count() == 1
    response = client.post(
        url, {"name": "À l'envers", "starts_on": days(300), "ends_on": days(200)}
    )
    assert "ends_on" in response.context["form"].errors
    assert community.seasons.count() == 1


def test_a_new_season_is_prepared_with_the_suggested_objectives(client):
    community = CommunityFactory()
    last = ended_season(community, review_published_at=timezone.now(), review_learnt="Écouter")
    ObjectiveFactory(season=last, title="Former les trésoriers", status="under_way")
    client.force_login(community.lead)
    url = reverse("seasons:new", args=[community.slug])
    page = client.get(url)
    assert "Former les trésoriers" in page.content.decode() and "Écouter" in page.content.decode()
    response = client.post(url, {
        "name": "Saison des ateliers", "starts_on": days(0), "ends_on": days(200),
        "suggestions": ["0"],
        "other_objectives": "Tenir deux ateliers\n\n",
    })  # fmt: skip
    season = community.seasons.get(name="Saison des ateliers")
    assert response.status_code == 302
    assert [o.title for o in season.objectives.all()] == [
        "Former les trésoriers",
        "Tenir deux ateliers",
    ]


def test_an_objective_linked_to_another_communitys_production_is_refused(client):
    community, other = CommunityFactory(), CommunityFactory()
    season = SeasonFactory(community=community)
    foreign = make_production(other.lead, other)
    client.force_login(community.lead)
    url = reverse("seasons:objective_add", args=[community.slug, season.pk])
    response = client.post(url, {"title": "Pris ailleurs", "production": foreign.pk})
    assert response.status_code == 200
    assert "production" in response.context["form"].errors
    assert not Objective.objects.exists()


def test_an_objective_of_another_community_answers_404_to_a_forged_address(client):
    community, other = CommunityFactory(), CommunityFactory()
    SeasonFactory(community=community)
    foreign = ObjectiveFactory(season=SeasonFactory(community=other))
    client.force_login(community.lead)
    for url in (
        reverse("seasons:objective_status", args=[community.slug, foreign.pk]),
        reverse("seasons:objective_edit", args=[community.slug, foreign.pk]),
    ):
        assert client.post(url, {"status": "reached", "title": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "planned" and foreign.title != "x"


def test_the_core_group_moves_an_objective_along(client):
    community = CommunityFactory()
    core = add_member(community, Role.CORE).user
    objective = ObjectiveFactory(season=SeasonFactory(community=community))
    client.force_login(core)
    url = reverse("seasons:objective_status", args=[community.slug, objective.pk])
    assert client.post(url, {"status": "dreaming"}).status_code == 302
    objective.refresh_from_db()
    assert objective.status == "planned"
    client.post(url, {"status": "reached"})
    objective.refresh_from_db()
    assert objective.status == "reached"


# --- season review ----------------------------------------------------------------------------


def test_publishing_the_review_without_what_we_are_proud_of_keeps_the_input(client):
    community = CommunityFactory()
    season = ended_season(community)
    objective = ObjectiveFactory(season=season)
    client.force_login(community.lead)
    url = reverse("seasons:review", args=[community.slug, season.pk])
    status = f"objective_{objective.pk}"
    response = client.post(
        url,
        {"achievements": "", "learnt": "Écouter les comités", status: "reached", "publish": "1"},
    )
    assert response.status_code == 200
    assert "achievements" in response.context["form"].errors
    assert "Écouter les comités" in response.content.decode()
    season.refresh_from_db()
    assert not season.is_published
    response = client.post(
        url, {"achievements": "Le guide", "learnt": "Écouter", status: "reached", "publish": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("seasons:celebration", args=[community.slug, season.pk])


def test_the_celebration_page_reads_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    community = CommunityFactory()
    season = SeasonFactory(community=community, review_published_at=timezone.now())
    for n in range(12):
        member = add_member(community, Role.INNER).user
        make_note(member, community, title=f"Carnet {n}")
        ObjectiveFactory(season=season, status="reached")
    client.force_login(community.lead)
    url = reverse("seasons:celebration", args=[community.slug, season.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="who"') == 12


def test_the_printable_celebration_downloads_as_a_pdf(client):
    community = CommunityFactory()
    season = SeasonFactory(community=community, review_published_at=timezone.now(),
                           review_achievements="Un guide publié")  # fmt: skip
    client.force_login(community.lead)
    response = client.get(reverse("seasons:celebration_pdf", args=[community.slug, season.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


# --- health review ----------------------------------------------------------------------------


def test_the_health_review_is_prefilled_with_what_the_platform_knows(
    client, django_assert_max_num_queries
):
    community = CommunityFactory()
    client.force_login(community.lead)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("seasons:health_new", args=[community.slug]))
    content = page.content.decode()
    assert content.count('class="fact"') == 8
    assert page.context["form"]["roles_rating"].value() == "watch"  # no co-lead, no core group


def test_a_health_review_with_bad_input_says_why_next_to_each_field(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    url = reverse("seasons:health_new", args=[community.slug])
    data = health_post(decision="evolve")
    del data["support_rating"]
    data["meetings_comment"] = "Une seule rencontre depuis mars"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "support_rating" in errors and "comment" in errors
    assert "Une seule rencontre depuis mars" in response.content.decode()
    assert not HealthReview.objects.exists()


def test_a_health_review_that_evolves_sends_the_lead_to_the_framing(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    url = reverse("seasons:health_new", args=[community.slug])
    response = client.post(url, health_post("watch", "evolve", "Recentrer sur l'entretien"))
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:framing", args=[community.slug])
    community.refresh_from_db()
    assert community.state == State.REFRAMING


def test_a_plain_member_cannot_post_a_health_review(client):
    community = CommunityFactory()
    client.force_login(add_member(community, Role.INNER).user)
    url = reverse("seasons:health_new", args=[community.slug])
    assert client.post(url, health_post()).status_code == 403
    assert not HealthReview.objects.exists()


# --- closing ----------------------------------------------------------------------------------


def test_closing_without_a_final_record_says_so_and_keeps_the_input(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    url = reverse("seasons:closing", args=[community.slug])
    response = client.post(url, {"achievements": " ", "thanks": "Merci à Awa", "outcome": "close"})
    assert response.status_code == 200
    assert "achievements" in response.context["form"].errors
    assert "Merci à Awa" in response.content.decode()
    community.refresh_from_db()
    assert community.state == State.ACTIVE and not FinalRecord.objects.exists()


def test_closing_with_a_record_and_a_legacy_then_closing_twice(client):
    community = CommunityFactory()
    note = make_note(community.lead, community, title="Carnet à garder")
    client.force_login(community.lead)
    url = reverse("seasons:closing", args=[community.slug])
    response = client.post(url, {"achievements": "Un guide", "outcome": "close",
                                 "legacy_items": [str(note.pk)]})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("library:legacy", args=[community.slug])
    assert Item.objects.get(pk=note.pk).keep_in_legacy
    community.refresh_from_db()
    assert community.state == State.CLOSED
    # A second "close" (a resent form): the record is completed, the community not closed again.
    response = client.post(url, {"achievements": "Autre chose", "outcome": "close",
                                 "legacy_items": [str(note.pk)]})  # fmt: skip
    assert response.status_code == 302
    assert community.state_changes.filter(to_state=State.CLOSED).count() == 1
    page = client.get(reverse("library:legacy", args=[community.slug])).content.decode()
    assert "Carnet à garder" in page


def test_the_lead_cannot_dissolve_without_a_health_review_deciding_it(client):
    community = CommunityFactory()
    client.force_login(community.lead)
    url = reverse("seasons:closing", args=[community.slug])
    assert 'value="dissolve"' not in client.get(url).content.decode()
    response = client.post(url, {"reason": "Plus le temps", "outcome": "dissolve"})
    assert response.status_code == 403
    community.refresh_from_db()
    assert community.state == State.ACTIVE


def test_a_coordinator_dissolves_with_a_reason_and_sets_the_grace_period(client):
    community = CommunityFactory()
    coordinator = CoordinatorFactory()
    client.force_login(coordinator)
    url = reverse("seasons:closing", args=[community.slug])
    response = client.post(url, {"reason": "", "outcome": "dissolve"})
    assert "reason" in response.context["form"].errors
    client.post(url, {"reason": "Aucune activité depuis un an", "outcome": "dissolve"})
    community.refresh_from_db()
    assert community.state == State.DISSOLVED
    grace = reverse("seasons:archive_grace", args=[community.slug])
    client.post(grace, {"archive_grace_days": "-3"})
    client.post(grace, {"archive_grace_days": "7"})
    community.refresh_from_db()
    assert community.archive_grace_days == 7
    client.force_login(community.lead)
    assert client.post(grace, {"archive_grace_days": "0"}).status_code == 403


def test_reopening_an_archived_community_goes_to_the_framing(client):
    community = CommunityFactory()
    services.close_with_record(community.lead, community, achievements="Fait")
    community.refresh_from_db()
    from cercles.communities import services as community_services

    community_services.transition(community.lead, community, "archive")
    client.force_login(community.lead)
    url = reverse("seasons:reopen", args=[community.slug])
    response = client.post(url, {"name": "Nouvelle saison", "starts_on": days(10),
                                 "ends_on": days(5)})  # fmt: skip
    assert "ends_on" in response.context["form"].errors
    response = client.post(url, {"name": "Nouvelle saison", "starts_on": days(10),
                                 "ends_on": days(300)})  # fmt: skip
    assert response["Location"] == reverse("communities:framing", args=[community.slug])
    community.refresh_from_db()
    assert community.state == State.REFRAMING
    assert Season.objects.filter(community=community, name="Nouvelle saison").exists()


def test_the_home_shows_the_current_season_its_progress_and_the_time_left(
    client, django_assert_max_num_queries
):
    community = CommunityFactory(end_date=timezone.localdate() + datetime.timedelta(days=200))
    season = SeasonFactory(community=community, name="Saison des forages",
                           ends_on=timezone.localdate() + datetime.timedelta(days=45))  # fmt: skip
    ObjectiveFactory(season=season, title="Publier le guide", status="reached")
    ObjectiveFactory(season=season, title="Trois ateliers", status="under_way")
    HealthReview.objects.create(community=community, decision="continue",
                                ratings={"roles": {"rating": "watch"}})  # fmt: skip
    client.force_login(community.lead)
    response = client.get(community.get_absolute_url())
    content = response.content.decode()
    assert "Saison des forages" in content and "Publier le guide" in content
    assert 'value="50"' in content  # one objective of two reached
    assert "45" in content and "200" in content
    assert reverse("seasons:closing", args=[community.slug]) in content


def test_the_seasons_and_closing_pages_read_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    community = CommunityFactory()
    for n in range(4):
        season = SeasonFactory(
            community=community,
            starts_on=timezone.localdate() - datetime.timedelta(days=400 - 100 * n),
            ends_on=timezone.localdate() - datetime.timedelta(days=301 - 100 * n),
        )
        for _ in range(5):
            ObjectiveFactory(season=season, production=make_production(community.lead, community))
        make_note(community.lead, community, title=f"Carnet {n}")
    client.force_login(community.lead)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("seasons:list", args=[community.slug])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("seasons:closing", args=[community.slug])).status_code == 200
